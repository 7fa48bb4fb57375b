"""The `unlockdesk` command itself: a database that was never migrated gets advice, not a traceback."""

import os
import subprocess
import sys
from pathlib import Path


def test_a_command_on_an_empty_data_folder_says_to_migrate(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL")}
    env["UNLOCKDESK_DATA_DIR"] = str(tmp_path / "data")
    done = subprocess.run([sys.executable, "-m", "unlockdesk.cli", "search-help", "账户被锁"],
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert "unlockdesk migrate" in done.stderr and "Traceback" not in done.stderr
    assert done.stdout == ""
