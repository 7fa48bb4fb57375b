"""Attachments: type sniffed from the bytes (never the name or declared type), size-limited,
hashed, stored encrypted."""

import hashlib
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from unlockdesk.tickets.exceptions import AttachmentRejected
from unlockdesk.tickets.models import Attachment, Message

ACCEPTED = {
    "image/jpeg", "image/png", "image/gif", "image/webp", "image/heic", "image/heif",
    "application/pdf",
}
TEXT_TYPES = {"text/plain"}


@dataclass(frozen=True)
class CheckedFile:
    filename: str
    content: bytes
    content_type: str
    sha256: str


def sniff(content: bytes) -> str:
    kind = filetype.guess(content)
    if kind is not None:
        return str(kind.mime)
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return "application/octet-stream"
    return "text/plain"


def check(filename: str, content: bytes, *, max_bytes: int | None = None) -> CheckedFile:
    """Validate one file; raises AttachmentRejected with a message the sender can act on."""
    limit = max_bytes or settings.UNLOCKDESK_ATTACHMENT_MAX_BYTES
    if not content:
        raise AttachmentRejected("empty", _("The file is empty."))
    if len(content) > limit:
        raise AttachmentRejected(
            "too_large",
            _("The file is larger than %(mb)d MB.") % {"mb": limit // (1024 * 1024)},
        )
    mime = sniff(content)
    if mime not in ACCEPTED | TEXT_TYPES:
        raise AttachmentRejected(
            "type", _("Only images (JPEG, PNG, HEIC) and PDF files are accepted.")
        )
    safe_name = filename.replace("/", "_").replace("\\", "_").strip()[:200] or "file"
    return CheckedFile(safe_name, content, mime, hashlib.sha256(content).hexdigest())


def store(message: Message, checked: CheckedFile, *, inline: bool = False) -> Attachment:
    attachment = Attachment(
        message=message,
        filename=checked.filename,
        content_type=checked.content_type,
        size=len(checked.content),
        sha256=checked.sha256,
        inline=inline,
    )
    attachment.file.save(checked.sha256[:16], ContentFile(checked.content), save=False)
    attachment.save()
    return attachment
