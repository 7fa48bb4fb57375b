"""Finding faces and comparing two of them.

Detection: dlib's HOG frontal-face detector (built into dlib). Comparison: dlib's ResNet face
embedding (128 numbers) after 5-point alignment, the models shipped by the
`face_recognition_models` package; the distance between two embeddings below 0.6 means the
same person (dlib's published operating point, 99.38% on LFW). If dlib or the models are
missing, `FaceModelUnavailable` is raised and the face checks report "not available".
"""

from __future__ import annotations

import importlib.util
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import cv2
import numpy as np

SAME_PERSON_DISTANCE = 0.6
DETECT_MAX_SIDE = 800
# HOG matches between this and 0 are soft or small faces, or paper and shadows: each one is
# kept only when the CNN detector finds a face on a crop around it (see `confirmed`).
WEAK_THRESHOLD = -0.8
CONFIRM_FACE_SIDE = 120  # the candidate's size in the crop the CNN reads (it finds >= ~80 px)


class FaceModelUnavailable(Exception):
    """dlib or its model files are not installed."""


@dataclass(frozen=True)
class Face:
    box: tuple[int, int, int, int]  # x, y, w, h in the pixels of the image searched
    score: float


def _models_dir() -> Path:
    # face_recognition_models' __init__ imports pkg_resources; locate its files without it.
    spec = importlib.util.find_spec("face_recognition_models")
    if spec is None or not spec.submodule_search_locations:
        raise FaceModelUnavailable("face_recognition_models is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "models"


class FaceModels:
    """dlib's detector, landmark predictor and embedding network, loaded once."""

    def __init__(self) -> None:
        try:
            import dlib
        except ImportError as exc:
            raise FaceModelUnavailable("dlib is not installed") from exc
        models = _models_dir()
        predictor = models / "shape_predictor_5_face_landmarks.dat"
        network = models / "dlib_face_recognition_resnet_model_v1.dat"
        if not (predictor.is_file() and network.is_file()):
            raise FaceModelUnavailable("dlib face model files are missing")
        self.dlib: Any = dlib
        self.detector = dlib.get_frontal_face_detector()
        self.predictor = dlib.shape_predictor(str(predictor))
        self.network = dlib.face_recognition_model_v1(str(network))
        cnn = models / "mmod_human_face_detector.dat"
        self.cnn = dlib.cnn_face_detection_model_v1(str(cnn)) if cnn.is_file() else None
        self.lock = threading.Lock()


@lru_cache(maxsize=1)
def models() -> FaceModels:
    return FaceModels()


def _rgb_scaled(bgr: np.ndarray, max_side: int) -> tuple[np.ndarray, float]:
    h, w = bgr.shape[:2]
    factor = min(1.0, max_side / float(max(h, w)))
    if factor < 1.0:
        bgr = cv2.resize(bgr, (round(w * factor), round(h * factor)), interpolation=cv2.INTER_AREA)
    return np.ascontiguousarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)), factor


def detect(bgr: np.ndarray, *, upsample: int = 0, max_side: int = DETECT_MAX_SIDE,
           threshold: float = 0.0) -> list[Face]:
    """Frontal faces, largest first (boxes in the given image's pixels); `threshold` below 0
    also returns weaker HOG matches (soft or small faces), each with its score."""
    m = models()
    rgb, factor = _rgb_scaled(bgr, max_side)
    with m.lock:
        rects, scores, _kinds = m.detector.run(rgb, upsample, threshold)
    faces = []
    for rect, score in zip(rects, scores, strict=False):
        x, y = max(0, rect.left()), max(0, rect.top())
        w, h = rect.right() - x, rect.bottom() - y
        faces.append(Face(box=(int(x / factor), int(y / factor), int(w / factor), int(h / factor)),
                          score=float(score)))
    return sorted(faces, key=lambda f: f.box[2] * f.box[3], reverse=True)


def detect_cnn(bgr: np.ndarray, *, max_side: int = DETECT_MAX_SIDE) -> list[Face]:
    """Faces by dlib's CNN (MMOD) detector: slower (seconds on one core) but it finds soft,
    low-contrast faces HOG misses; [] when its model file is not installed."""
    m = models()
    if m.cnn is None:
        return []
    rgb, factor = _rgb_scaled(bgr, max_side)
    with m.lock:
        found = m.cnn(rgb, 0)
    faces = []
    for item in found:
        rect = item.rect
        x, y = max(0, rect.left()), max(0, rect.top())
        w, h = rect.right() - x, rect.bottom() - y
        faces.append(Face(box=(int(x / factor), int(y / factor), int(w / factor), int(h / factor)),
                          score=float(item.confidence)))
    return sorted(faces, key=lambda f: f.box[2] * f.box[3], reverse=True)


def confirmed(bgr: np.ndarray, face: Face) -> bool:
    """The CNN detector also sees a face where HOG weakly did: a crop around the candidate,
    scaled so the candidate is CONFIRM_FACE_SIDE pixels, must hold a face centred inside it.
    Without the CNN model a weak candidate is not confirmed."""
    m = models()
    if m.cnn is None:
        return False
    x, y, w, h = face.box
    margin = max(w, h) // 2
    top, left = max(0, y - margin), max(0, x - margin)
    crop = bgr[top:y + h + margin, left:x + w + margin]
    if crop.size == 0:
        return False
    factor = CONFIRM_FACE_SIDE / float(max(w, h))
    crop = cv2.resize(crop, (max(1, round(crop.shape[1] * factor)), max(1, round(crop.shape[0] * factor))),
                      interpolation=cv2.INTER_AREA if factor < 1 else cv2.INTER_LINEAR)
    rgb = np.ascontiguousarray(cv2.cvtColor(crop, cv2.COLOR_BGR2RGB))
    with m.lock:
        found = m.cnn(rgb, 0)
    for item in found:
        cx = (item.rect.left() + item.rect.right()) / 2 / factor + left
        cy = (item.rect.top() + item.rect.bottom()) / 2 / factor + top
        if x <= cx <= x + w and y <= cy <= y + h:
            return True
    return False


def embedding(bgr: np.ndarray, face: Face) -> np.ndarray:
    """The 128-number descriptor of one detected face."""
    m = models()
    rgb = np.ascontiguousarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))
    x, y, w, h = face.box
    rect = m.dlib.rectangle(x, y, x + w, y + h)
    with m.lock:
        shape = m.predictor(rgb, rect)
        descriptor = m.network.compute_face_descriptor(rgb, shape)
    return np.asarray(descriptor, dtype=np.float64)


def distance(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(a - b))
