"""Faces, non-face pictures and fonts for the labelled set: only what installed packages ship.

Faces: scikit-image's `astronaut.png` (Eileen Collins), matplotlib's `grace_hopper.jpg`, and
the 100 face crops of scikit-image's `lfw_subset.npy` (25x25 grey, Labeled Faces in the Wild).
Non-faces: scikit-image's cat, coffee cup and rocket, and the 100 non-face crops of the same
LFW subset. Fonts: Noto Sans/Serif CJK plus the kaiti and handwriting-like faces that
`make bench-deps` installs from Debian; a font that is not installed is left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageFont

SKIMAGE_DATA = "skimage.data"


@dataclass(frozen=True)
class Portrait:
    """Head and shoulders of one person; `face` is where the face is (x, y, w, h)."""

    identity: str
    image: Image.Image
    face: tuple[int, int, int, int]


@dataclass(frozen=True)
class FontFace:
    name: str
    path: str
    index: int
    handwriting: bool

    def load(self, size: int) -> ImageFont.FreeTypeFont:
        return _font(self.path, self.index, size)

    def can_write(self, text: str) -> bool:
        """Every character has a visible glyph (some fonts map characters to empty glyphs)."""
        return all(ch.isspace() or _inked(self.path, self.index, ch) for ch in text)


@lru_cache(maxsize=512)
def _font(path: str, index: int, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size, index=index)


_FONTS = (
    FontFace("Noto Sans CJK SC", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2, False),
    FontFace("Noto Sans CJK SC Bold", "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 2, False),
    FontFace("Noto Serif CJK SC", "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2, False),
    FontFace("WenQuanYi Zen Hei", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0, False),
    FontFace("Smiley Sans Oblique", "/usr/share/fonts/truetype/smiley-sans/SmileySans-Oblique.ttf", 0, False),
    FontFace("AR PL UKai CN", "/usr/share/fonts/truetype/arphic/ukai.ttc", 0, True),
    FontFace("LXGW WenKai", "/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf", 0, True),
    FontFace("LXGW WenKai Light", "/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Light.ttf", 0, True),
)
CARD_FONT = _FONTS[0]
CARD_NUMBER_FONT = FontFace(
    "DejaVu Sans Mono Bold", "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf", 0, False
)


@lru_cache(maxsize=4096)
def _inked(path: str, index: int, ch: str) -> bool:
    return _font(path, index, 32).getmask(ch).getbbox() is not None


def note_fonts() -> list[FontFace]:
    """The installed note fonts; Noto Sans CJK (a `make system-deps` font) must be among them."""
    fonts = [f for f in _FONTS if Path(f.path).is_file()]
    if CARD_FONT not in fonts:
        raise SystemExit("Noto Sans CJK is not installed: run `make bench-deps`")
    return fonts


def missing_fonts() -> list[str]:
    return [f.name for f in _FONTS if not Path(f.path).is_file()]


def _skimage_file(name: str) -> Path:
    import skimage.data

    return Path(skimage.data.__file__).parent / name


@lru_cache(maxsize=1)
def portraits() -> tuple[Portrait, ...]:
    """Two real photos and the LFW face crops (upscaled; they are small and soft)."""
    import matplotlib.cbook

    found: list[Portrait] = []
    astronaut = Image.open(_skimage_file("astronaut.png")).convert("RGB").crop((95, 10, 355, 330))
    found.append(Portrait("astronaut", astronaut, (179 - 95, 83 - 10, 87, 87)))
    with matplotlib.cbook.get_sample_data("grace_hopper.jpg") as handle:
        grace = Image.open(handle).convert("RGB")
        grace.load()
    found.append(Portrait("grace_hopper", grace, (161, 137, 215, 215)))
    lfw = np.load(_skimage_file("lfw_subset.npy"))
    for index in range(100):  # the first 100 crops are faces, the next 100 are not
        grey = Image.fromarray((lfw[index] * 255).astype(np.uint8)).convert("RGB")
        big = grey.resize((200, 200), Image.Resampling.BICUBIC)
        found.append(Portrait(f"lfw{index:03d}", big, (0, 0, 200, 200)))
    return tuple(found)


@lru_cache(maxsize=1)
def non_faces() -> tuple[Image.Image, ...]:
    """Pictures with no human face, to stand where the person should be."""
    pictures = [
        Image.open(_skimage_file(name)).convert("RGB") for name in ("chelsea.png", "coffee.png", "rocket.jpg")
    ]
    lfw = np.load(_skimage_file("lfw_subset.npy"))
    for index in range(100, 200, 5):
        grey = Image.fromarray((lfw[index] * 255).astype(np.uint8)).convert("RGB")
        pictures.append(grey.resize((200, 200), Image.Resampling.BICUBIC))
    return tuple(pictures)
