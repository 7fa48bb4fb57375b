"""Private file storage that encrypts every file before it leaves the process.

Files (evidence, attachments) are never under MEDIA_URL: they are streamed only by
permission-checked views. One mixin seals on save and opens on read; it wraps the local file
system under the data folder (the default) or S3-compatible object storage (django-storages),
so the disk or the bucket only ever holds ciphertext sealed with keys it does not have.
"""

import os
from typing import IO, Any

from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible
from storages.backends.s3 import S3Storage

from unlockdesk import crypto


class EncryptingStorage:
    """Mixed in before a Django storage: what it saves is sealed, what it opens is opened."""

    def _save(self, name: str, content: File) -> str:
        content.seek(0)
        sealed = crypto.seal(content.read())
        saved: str = super()._save(name, ContentFile(sealed))  # type: ignore[misc]
        return saved

    def _open(self, name: str, mode: str = "rb") -> File:
        with super()._open(name, "rb") as handle:  # type: ignore[misc]
            plain = crypto.open_sealed(handle.read())
        return ContentFile(plain, name=name)

    def url(self, name: str | None, *args: Any, **kwargs: Any) -> str:
        raise NotImplementedError("private files are served only through permission-checked views")

    def read_bytes(self, name: str) -> bytes:
        with self.open(name) as handle:  # type: ignore[attr-defined]
            data: bytes = handle.read()
        return data

    def stored_bytes(self, name: str) -> IO[bytes]:
        """The raw, encrypted bytes at rest (for tests proving encryption at rest)."""
        raw: IO[bytes] = super()._open(name, "rb")  # type: ignore[misc]
        return raw


@deconstructible
class EncryptedFileSystemStorage(EncryptingStorage, FileSystemStorage):
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


@deconstructible
class EncryptedS3Storage(EncryptingStorage, S3Storage):
    """Evidence and attachments in an S3-compatible bucket (AWS, MinIO, OSS, COS ...).

    Never overwrites: a second file under a taken name gets a new name, as on the local disk.
    Objects are private (no ACL granted, no public URL) and typed as opaque bytes.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("file_overwrite", False)
        kwargs.setdefault("querystring_auth", True)
        kwargs.setdefault("default_acl", None)
        kwargs.setdefault("object_parameters", {"ContentType": "application/octet-stream"})
        super().__init__(**kwargs)
