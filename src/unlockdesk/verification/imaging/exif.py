"""What a photo's EXIF says about when and how it was made."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from PIL import Image

DATETIME = 0x0132
SOFTWARE = 0x0131
MAKE, MODEL = 0x010F, 0x0110
EXIF_IFD = 0x8769
DATETIME_ORIGINAL = 0x9003
OFFSET_TIME_ORIGINAL = 0x9011

# Software tags of editors; phones write their firmware version here, which is fine.
EDITORS = ("photoshop", "gimp", "lightroom", "snapseed", "picsart", "meitu", "美图", "pixelmator",
           "affinity", "canva", "paint.net", "photoscape", "fotor", "polarr", "vsco", "acdsee")


@dataclass(frozen=True)
class ExifFacts:
    captured: datetime | None  # naive (camera local time) unless the offset is recorded
    software: str
    camera: str


def _parse(value: object, offset: object = None) -> datetime | None:
    if not isinstance(value, str):
        return None
    text = value.strip().replace("\x00", "")
    try:
        moment = datetime.strptime(text[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    if isinstance(offset, str) and len(offset.strip()) >= 6:
        try:
            return datetime.strptime(f"{text[:19]} {offset.strip()[:6]}", "%Y:%m:%d %H:%M:%S %z")
        except ValueError:
            return moment
    return moment


def facts(exif: Image.Exif) -> ExifFacts:
    sub = exif.get_ifd(EXIF_IFD) if exif else {}
    captured = _parse(sub.get(DATETIME_ORIGINAL), sub.get(OFFSET_TIME_ORIGINAL)) or _parse(exif.get(DATETIME))
    software = str(exif.get(SOFTWARE) or "").strip().replace("\x00", "")
    camera = " ".join(str(exif.get(tag) or "").strip() for tag in (MAKE, MODEL)).strip()
    return ExifFacts(captured=captured, software=software, camera=camera)


def edited_with(software: str) -> str | None:
    """The editor's name when the Software tag names a known photo editor."""
    lowered = software.lower()
    return next((name for name in EDITORS if name in lowered), None)
