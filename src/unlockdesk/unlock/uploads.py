"""Accepting one evidence file: the shared upload rules (`safety.files`: sniffed type, pixel
limit before decoding, full decode, PDF without active content) with the evidence limits, plus
what only evidence needs: the reviewer's original and a metadata-free preview.

Nothing is written here: a refusal raises `EvidenceRejected` and the caller stores nothing.
The original is kept byte for byte (the reviewer needs its EXIF: camera, time, orientation).
`preview` is re-encoded from pixels only, so it carries no EXIF, GPS, XMP or ICC metadata:
that is the only form shown to anyone but a reviewer.
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image

from unlockdesk.safety import files
from unlockdesk.safety.files import BROWSER_IMAGE_TYPES, FileRefused

IMAGE_TYPES = files.PHOTO_TYPES
ACCEPTED_TYPES = IMAGE_TYPES | {files.PDF}
__all__ = ["BROWSER_IMAGE_TYPES", "EvidenceRejected", "accept", "check_size", "too_large_message"]
PREVIEW_MAX_SIDE = 2400


class EvidenceRejected(FileRefused):
    """A file refused with a reason code and a message the customer can act on."""


@dataclass(frozen=True)
class AcceptedFile:
    content: bytes
    content_type: str
    sha256: str
    width: int | None
    height: int | None
    preview: bytes | None
    fingerprint: str
    safe_name: str


def check_size(size: int) -> None:
    """Refuse empty and oversized files from their size alone (before reading them)."""
    if size <= 0:
        raise EvidenceRejected("empty", _("The file is empty. Please choose the photo or PDF again."))
    if size > settings.UNLOCKDESK_EVIDENCE_MAX_BYTES:
        raise EvidenceRejected("too_large", too_large_message())


def too_large_message() -> str:
    """Also shown by the page before a too-large file is sent at all."""
    return _("The file is larger than %(mb)d MB. Please send a smaller photo or PDF.") % {
        "mb": settings.UNLOCKDESK_EVIDENCE_MAX_BYTES // (1024 * 1024)}


def accept(filename: str, content: bytes) -> AcceptedFile:
    """Check one upload; raises EvidenceRejected (code, message) and writes nothing."""
    check_size(len(content))
    try:
        checked = files.check(content, accepted=ACCEPTED_TYPES,
                              max_bytes=settings.UNLOCKDESK_EVIDENCE_MAX_BYTES)
    except FileRefused as exc:
        if exc.code == "type":
            raise EvidenceRejected("type", _(
                "This file is not a JPEG, PNG, HEIC photo or a PDF, whatever its name says. "
                "Please send a photo or a PDF.")) from exc
        raise EvidenceRejected(exc.code, exc.message) from exc
    safe_name = filename.replace("/", "_").replace("\\", "_").strip()[:200] or "file"
    digest = hashlib.sha256(content).hexdigest()
    upright = checked.image
    if upright is None:
        return AcceptedFile(content, checked.content_type, digest, None, None, None, "", safe_name)
    rgb = upright.convert("RGB")
    preview, _type = files.clean_copy(rgb, max_side=PREVIEW_MAX_SIDE)
    # Width and height as people see the picture (EXIF orientation applied), like check regions.
    return AcceptedFile(content, checked.content_type, digest, upright.width, upright.height, preview,
                        difference_hash(rgb), safe_name)


def difference_hash(image: Image.Image) -> str:
    """64-bit dHash (hex): near-identical pictures give near-identical hashes."""
    small = image.convert("L").resize((9, 8), Image.Resampling.LANCZOS)
    pixels = list(small.tobytes())
    bits = 0
    for row in range(8):
        for col in range(8):
            left, right = pixels[row * 9 + col], pixels[row * 9 + col + 1]
            bits = (bits << 1) | (1 if left > right else 0)
    return f"{bits:016x}"
