"""What an uploaded file really is, and whether it is safe to open: ONE checker for every path
a file comes in by (unlock evidence, portal and chat attachments, mail, `unlockdesk check`).

Order matters: size first (cheap, and callers check it while the upload streams), then the
type sniffed from the bytes (never the name or the sender's claim) against the caller's
allow-list, then for images the pixel count from the header *before* anything is decoded (a
decompression bomb is refused without allocating it) and a full decode that proves the image
is whole; for PDFs the structure and the absence of active content (JavaScript, launch
actions, embedded files, forms that submit). Nothing is written here: a refusal raises
`FileRefused(code, message)` and the caller stores nothing.

`clean_copy` re-encodes an image from its pixels only, so it carries no EXIF, GPS, XMP or
ICC metadata and nothing else hidden in the original file (a polyglot's second meaning).
"""

import io
import re
import warnings
import zlib
from dataclasses import dataclass

import filetype
import pillow_heif
from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

pillow_heif.register_heif_opener()

PDF = "application/pdf"
PHOTO_TYPES = frozenset({"image/jpeg", "image/png", "image/heic", "image/heif"})
IMAGE_TYPES = PHOTO_TYPES | {"image/gif", "image/webp"}
# Browsers display these as they are; any other image is shown through its clean copy.
BROWSER_IMAGE_TYPES = frozenset({"image/jpeg", "image/png"})

# PDF names that run something or carry another file: never needed in a statement or a photo.
ACTIVE_PDF_NAMES = frozenset({
    b"JavaScript", b"JS", b"Launch", b"EmbeddedFile", b"EmbeddedFiles", b"RichMedia", b"XFA",
    b"SubmitForm", b"ImportData", b"GoToE",
})
_PDF_NAME = re.compile(rb"/([^\s/<>\[\]()%{}]+)")
_PDF_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_OBJECT_STREAM = re.compile(rb"/Type\s*/ObjStm\b[^>]*>>\s*stream\r?\n", re.DOTALL)
# Object streams are inflated to look inside them, up to this much in all (a zip bomb stops here).
PDF_INFLATE_BUDGET = 64 * 1024 * 1024


class FileRefused(Exception):
    """A file refused with a reason code and a message the sender can act on."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class CheckedContent:
    """A file that passed: its sniffed type and, for images, the decoded picture (upright)."""

    content_type: str
    image: Image.Image | None


def sniff(content: bytes) -> str:
    """The type the bytes say they are; `application/octet-stream` when no signature matches."""
    kind = filetype.guess(content)
    return str(kind.mime) if kind is not None else "application/octet-stream"


def check_size(size: int, *, limit: int) -> None:
    """Refuse empty and oversized files from their size alone (before or while reading them)."""
    if size <= 0:
        raise FileRefused("empty", _("The file is empty. Please choose it again."))
    if size > limit:
        raise FileRefused("too_large", too_large_message(limit))


def too_large_message(limit: int) -> str:
    return _("The file is larger than %(mb)d MB. Please send a smaller file.") % {
        "mb": limit // (1024 * 1024)}


def check(content: bytes, *, accepted: frozenset[str], max_bytes: int) -> CheckedContent:
    """Size, sniffed type within `accepted`, then the image or PDF rules; raises FileRefused."""
    check_size(len(content), limit=max_bytes)
    mime = sniff(content)
    if mime not in accepted:
        raise FileRefused("type", _(
            "This file is not a photo (JPEG, PNG, HEIC) or a PDF, whatever its name says. "
            "Please send a photo or a PDF."))
    if mime == PDF:
        check_pdf(content)
        return CheckedContent(mime, None)
    image = open_image(content)
    return CheckedContent(mime, ImageOps.exif_transpose(image) or image)


def max_pixels() -> int:
    return int(settings.UNLOCKDESK_EVIDENCE_MAX_PIXELS)


def open_image(content: bytes) -> Image.Image:
    """Open, refuse bombs from the header alone, then decode fully (proves the file is whole)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = check_pixels(content)
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _bomb() from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise damaged() from exc
    return image


def check_pixels(content: bytes) -> Image.Image:
    """The image opened from its header only (nothing decoded yet); FileRefused past the pixel
    limit or when the header is unreadable."""
    try:
        image = Image.open(io.BytesIO(content))
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise damaged() from exc
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _bomb() from exc
    if image.width * image.height > max_pixels():
        raise _bomb()
    return image


def _bomb() -> FileRefused:
    return FileRefused("too_many_pixels", _(
        "The image is far too large in pixels (%(mp)d megapixels at most). "
        "Please send a normal photo or screenshot."
    ) % {"mp": max_pixels() // 1_000_000})


def damaged() -> FileRefused:
    return FileRefused("damaged", _(
        "The file is damaged or incomplete and cannot be opened. Please take or export it again."))


def check_pdf(content: bytes) -> None:
    """A whole PDF with nothing in it that runs, launches or carries another file.

    Names are compared after undoing `#xx` escapes (`/J#61vaScript`), and object streams are
    inflated (within PDF_INFLATE_BUDGET) because a dictionary may hide inside one.
    """
    if not content.startswith(b"%PDF-") or b"%%EOF" not in content[-2048:]:
        raise damaged()
    active = FileRefused("active_content", _(
        "This PDF contains scripts, embedded files or form actions. Please print or export "
        "it again as a plain PDF (or send a screenshot)."))
    if _has_active_names(_outside_streams(content)):
        raise active
    budget = PDF_INFLATE_BUDGET
    for match in _OBJECT_STREAM.finditer(content):
        inflater = zlib.decompressobj()
        try:
            inner = inflater.decompress(content[match.end():], budget)
        except zlib.error as exc:
            raise FileRefused("unreadable_pdf", _(
                "This PDF is encrypted or damaged, so it cannot be checked. Please export it "
                "again without a password.")) from exc
        budget -= len(inner)
        if budget <= 0:
            raise damaged()
        if _has_active_names(inner):
            raise active


_STREAM_START = re.compile(rb"\bstream\r?\n")


def _outside_streams(content: bytes) -> bytes:
    """The PDF's objects without their stream data (binary there could spell any name)."""
    parts, at = [], 0
    for start in _STREAM_START.finditer(content):
        if start.start() < at:
            continue
        parts.append(content[at:start.start()])
        end = content.find(b"endstream", start.end())
        at = len(content) if end < 0 else end + len(b"endstream")
    parts.append(content[at:])
    return b"\n".join(parts)


def _has_active_names(data: bytes) -> bool:
    for name in _PDF_NAME.findall(data):
        if b"#" in name:
            name = _PDF_ESCAPE.sub(lambda m: bytes([int(m[1], 16)]), name)
        if name in ACTIVE_PDF_NAMES:
            return True
    return False


def clean_copy(image: Image.Image, *, max_side: int | None = None, as_png: bool = False
               ) -> tuple[bytes, str]:
    """The picture re-encoded from pixels only: (bytes, content type). JPEG, or PNG with
    `as_png` (screenshots stay sharp); `max_side` shrinks it."""
    mode = "RGBA" if as_png and image.mode in ("RGBA", "LA", "P") else "RGB"
    pixels = image.convert(mode)
    if max_side:
        pixels.thumbnail((max_side, max_side))
    # A fresh image from pixels only: no exif=, no icc_profile=, so no metadata is written.
    clean = Image.new(mode, pixels.size)
    clean.paste(pixels)
    out = io.BytesIO()
    if as_png:
        clean.save(out, format="PNG", optimize=True)
        return out.getvalue(), "image/png"
    clean.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue(), "image/jpeg"
