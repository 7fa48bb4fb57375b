"""Small evidence files made on the fly with Pillow: real JPEG/PNG/HEIC/PDF, and bad ones."""

import io
import struct
import zlib

import pillow_heif
from PIL import Image, ImageDraw

pillow_heif.register_heif_opener()

GPS_IFD = 0x8825


def photo_jpeg(label: str = "ID", size: tuple[int, int] = (320, 200), *, with_gps: bool = True,
               color: str = "#d9e8f5") -> bytes:
    """A labelled JPEG carrying EXIF (camera model and GPS), as a phone photo would."""
    image = Image.new("RGB", size, color)
    draw = ImageDraw.Draw(image)
    draw.rectangle((10, 10, size[0] - 10, size[1] - 10), outline="#003366", width=4)
    draw.text((24, 24), label, fill="#000000")
    exif = Image.Exif()
    exif[0x0110] = "TestPhone 12"  # Model
    if with_gps:
        exif[GPS_IFD] = {1: "N", 2: (39.0, 54.0, 26.0), 3: "E", 4: (116.0, 23.0, 29.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, quality=80)
    return out.getvalue()


def screenshot_png(label: str = "Error 50113", size: tuple[int, int] = (300, 180)) -> bytes:
    image = Image.new("RGB", size, "white")
    ImageDraw.Draw(image).text((20, 20), label, fill="red")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def photo_heic(size: tuple[int, int] = (64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "#88aa44").save(out, format="HEIF", quality=60)
    return out.getvalue()


def statement_pdf() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (200, 120), "white").save(out, format="PDF")
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def bomb_png(width: int = 60000, height: int = 60000) -> bytes:
    """A few hundred bytes whose header claims 3.6 gigapixels: refused before decoding."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    row = b"\x00" + b"\x00" * (width // 8)
    compressor = zlib.compressobj(9)
    data = compressor.compress(row * 16) + compressor.flush()
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", data) + _chunk(b"IEND", b"")


def disguised_executable() -> bytes:
    """A Windows executable's bytes, to be uploaded under a .jpg name."""
    return b"MZ" + b"\x90\x00" * 30 + b"This program cannot be run in DOS mode." + b"\x00" * 200


def truncated_jpeg() -> bytes:
    data = photo_jpeg("cut", size=(400, 300), with_gps=False)
    return data[: len(data) // 3]


def oversized_jpeg(limit: int) -> bytes:
    """A real JPEG padded past `limit` bytes (a comment segment is not enough: trailing bytes)."""
    data = photo_jpeg("big", with_gps=False)
    return data + b"\x00" * (limit - len(data) + 1)
