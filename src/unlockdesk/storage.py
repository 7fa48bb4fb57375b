"""Private file storage that encrypts every file before it touches the disk.

Files (evidence, attachments) are never under MEDIA_URL: they are streamed only by
permission-checked views. The same class wraps any Django storage; the default wraps the
local file system under the data folder.
"""

import os
from typing import IO, Any

from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible

from unlockdesk import crypto


@deconstructible
class EncryptedFileSystemStorage(FileSystemStorage):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("base_url", None)
        super().__init__(**kwargs)

    @property
    def base_location(self) -> str:
        """Read on every use, so the private folder follows the settings (tests, restarts)."""
        from django.conf import settings

        return str(getattr(self, "_location", None) or settings.UNLOCKDESK_PRIVATE_FILES)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def _save(self, name: str, content: File) -> str:
        content.seek(0)
        sealed = crypto.seal(content.read())
        return super()._save(name, ContentFile(sealed))  # type: ignore[misc]

    def _open(self, name: str, mode: str = "rb") -> File:
        with super()._open(name, "rb") as handle:  # type: ignore[misc]
            plain = crypto.open_sealed(handle.read())
        return ContentFile(plain, name=name)

    def url(self, name: str | None) -> str:
        raise NotImplementedError("private files are served only through permission-checked views")

    def read_bytes(self, name: str) -> bytes:
        with self.open(name) as handle:
            data: bytes = handle.read()
        return data

    def stored_bytes(self, name: str) -> IO[bytes]:
        """The raw, encrypted bytes on disk (for tests proving encryption at rest)."""
        return super()._open(name, "rb")  # type: ignore[misc]
