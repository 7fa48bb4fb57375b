"""Measurements of how usable a photo is: sharpness, exposure, glare, and signs of a screen.

Numbers only; `checks.quality` turns them into verdicts. Everything is measured on the
working copy (`loading.WORKING_MAX_SIDE`) so thresholds do not depend on the camera.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from unlockdesk.verification.imaging.loading import LoadedImage

CAMERA_TAGS = (0x010F, 0x0110)  # Make, Model


@dataclass(frozen=True)
class QualityMetrics:
    width: int
    height: int
    sharpness: float  # variance of the Laplacian of the working copy
    detail_sharpness: float  # the same in 64-pixel tiles, 95th percentile (see sharpest_parts)
    brightness: float  # mean of the grey image, 0-255
    clipped_bright: float  # share of pixels at 250 or more
    clipped_dark: float  # share of pixels at 15 or less
    glare: tuple[int, int, int, int] | None  # largest saturated white blob, original pixels
    glare_share: float  # its area as a share of the image
    flat_share: float  # share of pixels whose 3x3 neighbourhood is exactly uniform (rendered)
    screen_peaks: float  # prominence of the strongest periodic fine pattern (moiré of a screen)
    has_camera_exif: bool


def sharpness(gray: np.ndarray) -> float:
    return float(cv2.Laplacian(gray, cv2.CV_64F).var())


SHARPNESS_TILE = 64


def sharpest_parts(gray: np.ndarray) -> float:
    """Variance of the Laplacian in 64-pixel tiles, 95th percentile over the tiles: how sharp
    the detailed parts of the picture (note, card, face) are, however much of it a plain wall
    or a soft background takes (which drags the whole picture's variance down)."""
    lap = cv2.Laplacian(gray, cv2.CV_64F)
    t = SHARPNESS_TILE
    rows, cols = lap.shape[0] // t, lap.shape[1] // t
    if rows == 0 or cols == 0:
        return float(lap.var())
    tiles = lap[:rows * t, :cols * t].reshape(rows, t, cols, t).var(axis=(1, 3))
    return float(np.percentile(tiles, 95))


def _glare(image: LoadedImage) -> tuple[tuple[int, int, int, int] | None, float]:
    hsv = cv2.cvtColor(image.bgr, cv2.COLOR_BGR2HSV)
    bright = ((hsv[:, :, 2] >= 250) & (hsv[:, :, 1] <= 40)).astype(np.uint8)
    mask = cv2.morphologyEx(bright, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    count, _labels, stats, _centroids = cv2.connectedComponentsWithStats(mask, connectivity=8)
    if count <= 1:
        return None, 0.0
    largest = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    x, y, w, h, area = (int(v) for v in stats[largest])
    share = area / float(mask.size)
    return image.to_original(x, y, w, h), share


def _flat_share(gray: np.ndarray) -> float:
    """Rendered pixels (screenshots) have large exactly-uniform areas; camera noise never does."""
    g = gray.astype(np.int16)
    dx = np.abs(np.diff(g, axis=1))[:-1, :]
    dy = np.abs(np.diff(g, axis=0))[:, :-1]
    flat = (dx == 0) & (dy == 0)
    return float(flat.mean())


def _screen_peaks(gray: np.ndarray) -> float:
    """Periodic fine patterns (a screen's pixel grid beating with the camera's) show as isolated
    peaks in the upper half of the spectrum; paper, skin and print spread their energy.

    The strongest peak's height over the mean of its 15x15 neighbourhood of frequencies;
    the 8-pixel grid of JPEG blocks is left out. Natural photos stay below about 5.
    """
    h, w = gray.shape
    side = min(h, w, 512)
    top, left = (h - side) // 2, (w - side) // 2
    patch = gray[top:top + side, left:left + side].astype(np.float32)
    patch -= cv2.GaussianBlur(patch, (0, 0), 3)
    window = np.outer(np.hanning(side), np.hanning(side)).astype(np.float32)
    spectrum = np.abs(np.fft.fftshift(np.fft.fft2(patch * window))).astype(np.float32)
    cycles = (np.arange(side) - side / 2) / side  # cycles per pixel along each axis
    fy, fx = np.meshgrid(cycles, cycles, indexing="ij")
    radius = np.hypot(fy, fx) / 0.5
    near_block = 16.0 / side  # within two bins of a multiple of 1/8 cycle per pixel
    block_grid = ((np.abs(fy * 8 - np.round(fy * 8)) < near_block)
                  | (np.abs(fx * 8 - np.round(fx * 8)) < near_block))
    band = (radius > 0.25) & (radius < 0.95) & ~block_grid
    if not band.any():
        return 0.0
    prominence = spectrum / (cv2.blur(spectrum, (15, 15)) + 1e-6)
    return float(prominence[band].max())


def measure(image: LoadedImage) -> QualityMetrics:
    gray = image.gray
    glare_box, glare_share = _glare(image)
    exif = image.exif
    return QualityMetrics(
        width=image.width,
        height=image.height,
        sharpness=sharpness(gray),
        detail_sharpness=sharpest_parts(gray),
        brightness=float(gray.mean()),
        clipped_bright=float((gray >= 250).mean()),
        clipped_dark=float((gray <= 15).mean()),
        glare=glare_box,
        glare_share=glare_share,
        flat_share=_flat_share(gray),
        screen_peaks=_screen_peaks(gray),
        has_camera_exif=any(exif.get(tag) for tag in CAMERA_TAGS),
    )
