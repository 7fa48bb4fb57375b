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

from unlockdesk.verification.checks import reading
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

    @cached_property
    def card_text_box(self) -> tuple[int, int, int, int] | None:
        """Where an ID card's printed text is (labels, number), original pixels; None without."""
        return _union([line.box for line in self.lines if reading.is_card_text(line.text)])

    @cached_property
    def _working_person_faces(self) -> list[face_models.Face]:
        """Clear HOG faces first; else weak HOG candidates the CNN confirms on a crop; else
        the CNN on the whole picture. Soft or small faces (an old phone, a face turned a
        little) are found without calling paper, shadows or a cat a face, and the slow CNN
        runs only on the few pictures where HOG is unsure."""
        strong = self._not_card(self.working_faces)
        if strong:
            return strong
        bgr = self.image.bgr
        weak = [f for f in self._not_card(face_models.detect(bgr, threshold=face_models.WEAK_THRESHOLD))
                if f.score < 0 and face_models.confirmed(bgr, f)]
        return weak or self._not_card(face_models.detect_cnn(bgr))

    def _not_card(self, faces: list[face_models.Face]) -> list[face_models.Face]:
        box = self.card_text_box
        if box is None:
            return faces
        return [f for f in faces if not _card_portrait(self.image.to_original(*f.box), box)]

    @property
    def person_faces(self) -> list[face_models.Face]:
        """Faces of people in a handheld photo, original pixels, largest first: the portrait
        printed on the ID card held in the photo is not a person (else a photo of the card
        alone would show "a face", and the face match would compare the card with itself)."""
        return [face_models.Face(self.image.to_original(*f.box), f.score)
                for f in self._working_person_faces]

    @cached_property
    def person_embedding(self) -> np.ndarray | None:
        """The largest person's face descriptor (see `person_faces`), None when there is none."""
        faces = self._working_person_faces
        if not faces:
            return None
        return face_models.embedding(self.image.bgr, faces[0])


def _union(boxes: list[tuple[int, int, int, int]]) -> tuple[int, int, int, int] | None:
    if not boxes:
        return None
    left, top = min(b[0] for b in boxes), min(b[1] for b in boxes)
    right, bottom = max(b[0] + b[2] for b in boxes), max(b[1] + b[3] for b in boxes)
    return left, top, right - left, bottom - top


def _card_portrait(face: tuple[int, int, int, int], card: tuple[int, int, int, int]) -> bool:
    """The face is the card's own portrait: small beside the card's text, centred within it or
    just to its right, where the portrait is printed (the text covers about 60% of the card's
    width, the portrait most of the rest; a card held upright: above or below). A person
    holding the card is larger, and their face cannot be inside the card."""
    fx, fy, fw, fh = face
    cx, cy, cw, ch = card
    centre_x, centre_y = fx + fw / 2, fy + fh / 2
    if cw >= ch:
        left, right, top, bottom = cx - 0.1 * cw, cx + 1.5 * cw, cy - 0.1 * ch, cy + 1.1 * ch
    else:
        left, right, top, bottom = cx - 0.1 * cw, cx + 1.1 * cw, cy - 0.5 * ch, cy + 1.5 * ch
    inside = left <= centre_x <= right and top <= centre_y <= bottom
    return inside and max(fw, fh) < 0.6 * max(cw, ch)


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
