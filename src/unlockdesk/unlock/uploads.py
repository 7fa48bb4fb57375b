"""Accepting one evidence file: what it really is, whether it is safe to open, and the copy
other people may see.

Order matters: size first (cheap), then the type sniffed from the bytes (never the name or
the browser's claim), then the image header's pixel count *before* anything is decoded (a
decompression bomb is refused without allocating it), then a full decode to prove the image
is whole. Nothing is written here: a refusal raises `EvidenceRejected` and the caller stores
nothing.

The original is kept byte for byte (the reviewer needs its EXIF: camera, time, orientation).
`preview` is re-encoded from pixels only, so it carries no EXIF, GPS, XMP or ICC metadata:
that is the only form shown to anyone but a reviewer.
"""

import hashlib
import io
import warnings
from dataclasses import dataclass

import filetype
import pillow_heif
from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

pillow_heif.register_heif_opener()

IMAGE_TYPES = {"image/jpeg", "image/png", "image/heic", "image/heif"}
ACCEPTED_TYPES = IMAGE_TYPES | {"application/pdf"}
# Browsers display these as they are; HEIC is shown to reviewers through its preview.
BROWSER_IMAGE_TYPES = {"image/jpeg", "image/png"}
PREVIEW_MAX_SIDE = 2400


class EvidenceRejected(Exception):
    """A file refused with a reason code and a message the customer can act on."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


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


def sniff(content: bytes) -> str:
    kind = filetype.guess(content)
    return str(kind.mime) if kind is not None else "application/octet-stream"


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
    mime = sniff(content)
    if mime not in ACCEPTED_TYPES:
        raise EvidenceRejected("type", _(
            "This file is not a JPEG, PNG, HEIC photo or a PDF, whatever its name says. "
            "Please send a photo or a PDF."
        ))
    safe_name = filename.replace("/", "_").replace("\\", "_").strip()[:200] or "file"
    digest = hashlib.sha256(content).hexdigest()
    if mime == "application/pdf":
        _check_pdf(content)
        return AcceptedFile(content, mime, digest, None, None, None, "", safe_name)
    image = _open_image(content)
    upright = ImageOps.exif_transpose(image) or image
    preview, fingerprint = _preview_and_fingerprint(upright)
    # Width and height as people see the picture (EXIF orientation applied), like check regions.
    return AcceptedFile(content, mime, digest, upright.width, upright.height, preview, fingerprint,
                        safe_name)


def _damaged() -> EvidenceRejected:
    return EvidenceRejected("damaged", _(
        "The file is damaged or incomplete and cannot be opened. Please take or export it again."
    ))


def _check_pdf(content: bytes) -> None:
    if not content.startswith(b"%PDF-") or b"%%EOF" not in content[-2048:]:
        raise _damaged()


def _open_image(content: bytes) -> Image.Image:
    """Open, refuse bombs from the header alone, then decode fully (proves the file is whole)."""
    max_pixels = settings.UNLOCKDESK_EVIDENCE_MAX_PIXELS
    bomb = EvidenceRejected("too_many_pixels", _(
        "The image is far too large in pixels (%(mp)d megapixels at most). "
        "Please send a normal photo or screenshot."
    ) % {"mp": max_pixels // 1_000_000})
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(content))
            if image.width * image.height > max_pixels:
                raise bomb
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise bomb from exc
    except EvidenceRejected:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise _damaged() from exc
    return image


def _preview_and_fingerprint(upright: Image.Image) -> tuple[bytes, str]:
    rgb = upright.convert("RGB")
    fingerprint = difference_hash(rgb)
    rgb.thumbnail((PREVIEW_MAX_SIDE, PREVIEW_MAX_SIDE))
    out = io.BytesIO()
    # A fresh image from pixels only: no exif=, no icc_profile=, so no metadata is written.
    clean = Image.new("RGB", rgb.size)
    clean.paste(rgb)
    clean.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue(), fingerprint


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
