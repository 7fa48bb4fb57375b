"""Attachments: the shared upload rules (`safety.files`) with the attachment limits, hashed,
stored encrypted.

Type is sniffed from the bytes (never the name or declared type). Images pass the pixel limit
before decoding and are stored as a clean copy re-encoded from their pixels (no EXIF or GPS,
nothing a polyglot hides); PDFs must carry no scripts or embedded files; plain text must be
UTF-8 and not markup (HTML or SVG named `.jpg` or `.txt` is refused, never stored as text).
"""

import hashlib
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from unlockdesk.safety import files
from unlockdesk.safety.files import FileRefused
from unlockdesk.tickets.exceptions import AttachmentRejected
from unlockdesk.tickets.models import Attachment, Message

TEXT = "text/plain"
MARKUP = "text/html"
ACCEPTED = files.IMAGE_TYPES | {files.PDF}
TEXT_TYPES = {TEXT}
# Anything a browser or viewer would treat as a document rather than as text.
_MARKUP = re.compile(rb"<\s*(?:[!?]|/?\s*(?:html|head|body|svg|script|iframe|object|embed|img|a|meta|"
                     rb"style|link|form|xml|math)\b)", re.IGNORECASE)


@dataclass(frozen=True)
class CheckedFile:
    """What will be stored (`content`: images as their clean copy) and the sent file's hash."""

    filename: str
    content: bytes
    content_type: str
    sha256: str


def sniff(content: bytes) -> str:
    """The sniffed type; UTF-8 text is `text/plain` unless it holds markup (`text/html`)."""
    mime = files.sniff(content)
    if mime != "application/octet-stream":
        return mime
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return mime
    if b"\x00" in content or _MARKUP.search(content):
        return MARKUP
    return TEXT


def check(filename: str, content: bytes, *, max_bytes: int | None = None) -> CheckedFile:
    """Validate one file; raises AttachmentRejected with a message the sender can act on.

    What passes is what gets stored: images come back as their clean re-encoded copy.
    """
    limit = max_bytes or settings.UNLOCKDESK_ATTACHMENT_MAX_BYTES
    safe_name = filename.replace("/", "_").replace("\\", "_").strip()[:200] or "file"
    try:
        if sniff(content) == TEXT:
            files.check_size(len(content), limit=limit)
            return CheckedFile(safe_name, content, TEXT, hashlib.sha256(content).hexdigest())
        checked = files.check(content, accepted=ACCEPTED, max_bytes=limit)
    except FileRefused as exc:
        if exc.code == "type":
            raise AttachmentRejected("type", _(
                "Only images (JPEG, PNG, HEIC) and PDF files are accepted.")) from exc
        raise AttachmentRejected(exc.code, exc.message) from exc
    stored, content_type = content, checked.content_type
    if checked.image is not None:
        stored, content_type = files.clean_copy(
            checked.image, as_png=checked.content_type in {"image/png", "image/gif"})
    # The hash names the file as sent (the kept original email refers to it by this hash).
    return CheckedFile(safe_name, stored, content_type, hashlib.sha256(content).hexdigest())


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
