"""One analysis per image, shared by every check that looks at it in a run.

OCR and face detection are the slow parts (most of a second together); several checks need
them for the same file, so results are kept in a small in-process cache keyed by the bytes'
SHA-256. It holds the last few images of one run: `services.run_checks` empties it when the
run ends, so decrypted pixels do not stay in a worker's memory between applications.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from functools import cached_property

import numpy as np

from unlockdesk.verification.imaging import faces as face_models
from unlockdesk.verification.imaging import ocr
from unlockdesk.verification.imaging.loading import LoadedImage, load_image
from unlockdesk.verification.imaging.quality import QualityMetrics, measure

CACHE_SIZE = 8


class Analysis:
    """Lazily computed facts about one image; `faces` raises FaceModelUnavailable without dlib."""

    def __init__(self, data: bytes) -> None:
        self.image: LoadedImage = load_image(data)

    @cached_property
    def quality(self) -> QualityMetrics:
        return measure(self.image)

    @cached_property
    def lines(self) -> list[ocr.OcrLine]:
        """OCR lines with boxes in original pixels."""
        read = ocr.default_engine().read(self.image.bgr)
        return [ocr.OcrLine(line.text, self.image.to_original(*line.box), line.score) for line in read]

    @property
    def texts(self) -> list[str]:
        return [line.text for line in self.lines]

    @cached_property
    def working_faces(self) -> list[face_models.Face]:
        return face_models.detect(self.image.bgr, upsample=0)

    @property
    def faces(self) -> list[face_models.Face]:
        """Faces in original pixels, largest first."""
        return [face_models.Face(self.image.to_original(*f.box), f.score) for f in self.working_faces]

    @cached_property
    def face_embedding(self) -> np.ndarray | None:
        """The largest face's 128-number descriptor, None when there is no face."""
        if not self.working_faces:
            return None
        return face_models.embedding(self.image.bgr, self.working_faces[0])


_cache: OrderedDict[str, Analysis] = OrderedDict()
_lock = threading.Lock()


def analyse(data: bytes) -> Analysis:
    """The (cached) analysis of these bytes; raises ImageUnreadable for a non-image."""
    key = hashlib.sha256(data).hexdigest()
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    result = Analysis(data)
    with _lock:
        _cache[key] = result
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return result


def forget() -> None:
    """Drop every cached analysis (end of a run)."""
    with _lock:
        _cache.clear()
