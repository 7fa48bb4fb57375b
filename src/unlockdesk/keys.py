"""Keys of the embedded default: read from the environment, else generated once into the data folder.

Keys live outside the database so that a copy of the database alone reveals no ID number
and no evidence.
"""

import base64
import os
import secrets
from pathlib import Path


def data_dir() -> Path:
    path = Path(os.environ.get("UNLOCKDESK_DATA_DIR", "var")).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def load_or_create(name: str, *, env: str, nbytes: int = 32) -> str:
    """Return the key named `name`: from `env` when set, else from the data folder's keys/.

    A missing file is created with 0600 permissions; an existing one is never overwritten,
    so restarting never orphans encrypted data.
    """
    value = os.environ.get(env)
    if value:
        return value
    folder = data_dir() / "keys"
    folder.mkdir(mode=0o700, exist_ok=True)
    path = folder / f"{name}.key"
    if not path.exists():
        key = base64.urlsafe_b64encode(secrets.token_bytes(nbytes)).decode()
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(key)
    return path.read_text().strip()
