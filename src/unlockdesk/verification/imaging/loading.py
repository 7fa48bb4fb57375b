"""Decoding an evidence image once, upright, in the forms the metrics need."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass, field
from functools import cached_property

import cv2
import numpy as np
import pillow_heif
from PIL import Image, ImageOps, UnidentifiedImageError

from unlockdesk.safety import files

pillow_heif.register_heif_opener()

# Metrics that depend on scale (blur, glare blobs) are measured at this size so one threshold
# fits every camera; regions are mapped back to the original pixels.
WORKING_MAX_SIDE = 1000


class ImageUnreadable(Exception):
    """The bytes are not an image we can decode (damaged, not an image, a bomb)."""


@dataclass
class LoadedImage:
    """One decoded image: the upright original plus a working copy at WORKING_MAX_SIDE."""

    original: Image.Image
    format: str
    exif: Image.Exif
    data: bytes = field(repr=False)

    @property
    def width(self) -> int:
        return self.original.width

    @property
    def height(self) -> int:
        return self.original.height

    @cached_property
    def working(self) -> Image.Image:
        image = self.original.copy()
        image.thumbnail((WORKING_MAX_SIDE, WORKING_MAX_SIDE), Image.Resampling.BILINEAR)
        return image

    @property
    def scale(self) -> float:
        """Original pixels per working pixel."""
        return self.original.width / self.working.width

    @cached_property
    def bgr(self) -> np.ndarray:
        """The working copy as an OpenCV BGR array."""
        return cv2.cvtColor(np.asarray(self.working), cv2.COLOR_RGB2BGR)

    @cached_property
    def gray(self) -> np.ndarray:
        return cv2.cvtColor(self.bgr, cv2.COLOR_BGR2GRAY)

    def to_original(self, x: float, y: float, w: float, h: float) -> tuple[int, int, int, int]:
        """A working-copy rectangle in original pixels (clamped to the image)."""
        s = self.scale
        left, top = max(0, int(x * s)), max(0, int(y * s))
        return left, top, min(int(w * s), self.width - left), min(int(h * s), self.height - top)


def load_image(data: bytes) -> LoadedImage:
    """Decode JPEG/PNG/HEIC bytes, apply the EXIF orientation; raises ImageUnreadable."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.width * image.height > files.max_pixels():  # the upload limit, before decoding
                raise ImageUnreadable("too many pixels")
            image.load()
            exif = image.getexif()
            fmt = image.format or ""
            upright = ImageOps.exif_transpose(image) or image
    except ImageUnreadable:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError,
            Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageUnreadable(str(exc)) from exc
    return LoadedImage(original=upright.convert("RGB"), format=fmt, exif=exif, data=data)
