"""Reading text from photos: RapidOCR (PP-OCR models inside the wheel) and, for comparison,
Tesseract (Debian's `tesseract-ocr-chi-sim`, used by the benchmark only).

The RapidOCR engine is loaded once per process (about a second) and reused; it runs with
one thread per call so a worker's cores serve several images at once. Images are scaled to
at most OCR_MAX_SIDE before detection, which bounds the time per image.
"""

from __future__ import annotations

import shutil
import subprocess
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

import cv2
import numpy as np

OCR_MAX_SIDE = 960


@dataclass(frozen=True)
class OcrLine:
    text: str
    box: tuple[int, int, int, int]  # x, y, w, h in the pixels of the image given to read()
    score: float


class OcrEngine(Protocol):
    name: str

    def read(self, bgr: np.ndarray) -> list[OcrLine]: ...


class OcrUnavailable(Exception):
    """The OCR engine is not installed on this machine."""


def _scaled(bgr: np.ndarray, max_side: int) -> tuple[np.ndarray, float]:
    h, w = bgr.shape[:2]
    factor = min(1.0, max_side / float(max(h, w)))
    if factor < 1.0:
        bgr = cv2.resize(bgr, (round(w * factor), round(h * factor)), interpolation=cv2.INTER_AREA)
    return bgr, factor


class RapidOcr:
    """PP-OCRv4 detection + recognition through onnxruntime, one thread."""

    name = "rapidocr"

    def __init__(self, max_side: int = OCR_MAX_SIDE) -> None:
        try:
            from rapidocr_onnxruntime import RapidOCR
        except ImportError as exc:  # pragma: no cover - a dependency of the project
            raise OcrUnavailable("rapidocr-onnxruntime is not installed") from exc
        self.max_side = max_side
        self._engine = RapidOCR(intra_op_num_threads=1, inter_op_num_threads=1, det_limit_type="max",
                                print_verbose=False)
        self._lock = threading.Lock()

    def read(self, bgr: np.ndarray) -> list[OcrLine]:
        scaled, factor = _scaled(bgr, self.max_side)
        with self._lock:  # onnxruntime sessions are shared; one call at a time per process
            result, _elapsed = self._engine(scaled)
        lines: list[OcrLine] = []
        for points, text, score in result or []:
            xs = [p[0] / factor for p in points]
            ys = [p[1] / factor for p in points]
            box = (int(min(xs)), int(min(ys)), int(max(xs) - min(xs)), int(max(ys) - min(ys)))
            lines.append(OcrLine(text=str(text), box=box, score=float(score)))
        return lines


class TesseractOcr:
    """Debian's tesseract binary (chi_sim + eng); text only, boxes are the whole image."""

    name = "tesseract"

    def __init__(self, max_side: int = 1600) -> None:
        binary = shutil.which("tesseract")
        if binary is None:
            raise OcrUnavailable("tesseract is not installed (make bench-deps)")
        self.binary = binary
        self.max_side = max_side

    def read(self, bgr: np.ndarray) -> list[OcrLine]:
        scaled, _factor = _scaled(bgr, self.max_side)
        ok, png = cv2.imencode(".png", scaled)
        if not ok:
            return []
        done = subprocess.run(  # noqa: S603 - fixed binary and arguments
            [self.binary, "stdin", "stdout", "-l", "chi_sim+eng", "--psm", "11"],
            input=png.tobytes(), capture_output=True, timeout=60, check=False,
            env={"OMP_THREAD_LIMIT": "1", "PATH": "/usr/bin:/bin"},
        )
        h, w = bgr.shape[:2]
        text = done.stdout.decode("utf-8", "replace")
        return [OcrLine(text=line.strip(), box=(0, 0, w, h), score=1.0)
                for line in text.splitlines() if line.strip()]


@lru_cache(maxsize=1)
def default_engine() -> RapidOcr:
    """The process-wide RapidOCR engine (loaded on first use)."""
    return RapidOcr()
