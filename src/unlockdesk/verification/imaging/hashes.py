"""Perceptual hashes: near-identical pictures give hashes a few bits apart.

`difference_hash` is bit for bit the fingerprint `unlock.uploads` stores with every image
(kept after the file is purged), so new evidence can be compared with old applications'.
`perceptual_hash` (DCT) survives recompression and small crops better; both are 64 bits, hex.
"""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image

NEAR_SAME_BITS = 6  # at most this many differing bits: the same picture, re-saved or resized


def difference_hash(image: Image.Image) -> str:
    small = image.convert("L").resize((9, 8), Image.Resampling.LANCZOS)
    pixels = list(small.tobytes())
    bits = 0
    for row in range(8):
        for col in range(8):
            left, right = pixels[row * 9 + col], pixels[row * 9 + col + 1]
            bits = (bits << 1) | (1 if left > right else 0)
    return f"{bits:016x}"


def perceptual_hash(image: Image.Image) -> str:
    small = np.asarray(image.convert("L").resize((32, 32), Image.Resampling.LANCZOS), dtype=np.float32)
    low = cv2.dct(small)[:8, :8].flatten()
    median = np.median(low[1:])
    bits = 0
    for value in low:
        bits = (bits << 1) | (1 if value > median else 0)
    return f"{bits:016x}"


def hamming(a: str, b: str) -> int:
    """Differing bits between two hex hashes of equal length (64 when either is empty)."""
    if not a or not b or len(a) != len(b):
        return 64
    return (int(a, 16) ^ int(b, 16)).bit_count()
