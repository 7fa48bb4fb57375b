"""Face match between the ID card portrait and the face in the handheld photo (dlib)."""

import io
from collections.abc import Callable
from datetime import date

import pytest
from PIL import Image

from tests.verification import pictures
from tests.verification.conftest import picture
from unlockdesk.verification.checks.analysis import Analysis
from unlockdesk.verification.checks.faces import judge_match
from unlockdesk.verification.imaging import faces as face_models
from unlockdesk.verification.standalone import ImageClaims, check_image
from unlockdesk.verification.types import Status

Analysed = Callable[[str], Analysis]


def test_same_person_matches_with_a_small_distance(analysed: Analysed) -> None:
    result = judge_match(analysed("id_front_genuine.jpg").face_embedding,
                         analysed("handheld_genuine.jpg").face_embedding)
    assert (result.status, result.reason_code) == (Status.PASS, "same_person")
    assert result.detail.startswith("distance 0.")


def test_another_person_fails(analysed: Analysed) -> None:
    result = judge_match(analysed("id_front_genuine.jpg").face_embedding,
                         analysed("handheld_other_person.jpg").face_embedding)
    assert (result.status, result.reason_code) == (Status.FAIL, "different_person")


def test_no_face_on_one_side_is_not_available(analysed: Analysed) -> None:
    result = judge_match(analysed("id_front_genuine.jpg").face_embedding,
                         analysed("handheld_no_face.jpg").face_embedding)
    assert (result.status, result.reason_code) == (Status.NOT_AVAILABLE, "no_face")


def test_the_card_portrait_is_found(analysed: Analysed) -> None:
    assert analysed("id_front_genuine.jpg").faces


def test_without_the_face_model_face_checks_are_not_available_and_the_rest_run(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def missing() -> face_models.FaceModels:
        raise face_models.FaceModelUnavailable("dlib is not installed")

    monkeypatch.setattr(face_models, "models", missing)
    # Fresh bytes (another JPEG quality), so no cached analysis of the fixture answers instead.
    handheld = pictures.jpeg(Image.open(io.BytesIO(picture("handheld_genuine.jpg"))), quality=90,
                             exif=pictures.camera_exif())
    front = pictures.jpeg(Image.open(io.BytesIO(picture("id_front_genuine.jpg"))), quality=90)
    claims = ImageClaims(kind="handheld", today=date(2026, 11, 25), ticket_number=pictures.TICKET)
    statuses = {r.check: r.status for r in check_image(handheld, claims, id_front=front)}
    assert statuses["face_present"] == statuses["face_match"] == Status.NOT_AVAILABLE
    assert statuses["handheld_note"] == Status.PASS and statuses["image_quality"] == Status.PASS


def test_the_portrait_on_the_held_card_is_not_the_person(analysed: Analysed) -> None:
    held = analysed("handheld_card_portrait.jpg")
    assert len(held.faces) == 2, "the person and the card's portrait are both found"
    [person] = held.person_faces
    assert person.box[0] < 360, "the person is on the left, the card on the right"
    result = judge_match(analysed("id_front_genuine.jpg").face_embedding, held.person_embedding)
    assert (result.status, result.reason_code) == (Status.PASS, "same_person")


def test_a_card_held_up_without_a_person_is_no_face_and_no_match() -> None:
    claims = ImageClaims(kind="handheld", today=date(2026, 11, 25), ticket_number=pictures.TICKET)
    results = {r.check: r for r in check_image(picture("handheld_card_only.jpg"), claims,
                                               id_front=picture("id_front_genuine.jpg"))}
    assert (results["face_present"].status, results["face_present"].reason_code) == (Status.FAIL, "no_face")
    assert results["face_match"].status == Status.NOT_AVAILABLE, "the card is never matched with itself"


def _soft(who: str, source_width: int) -> Analysis:
    analysis = Analysis(pictures.jpeg(pictures.soft_person(who, source_width=source_width), quality=88))
    assert analysis.card_text_box is None  # no card in the picture: every face is a person's
    return analysis


def test_a_soft_face_hog_is_unsure_of_is_present_once_the_cnn_confirms_it() -> None:
    analysis = _soft("astronaut", 28)
    assert face_models.detect(analysis.image.bgr) == []  # HOG alone: "no face", a needless redo
    assert analysis.person_faces


def test_a_face_hog_does_not_see_at_all_is_found_by_the_cnn() -> None:
    analysis = _soft("hopper", 16)
    assert face_models.detect(analysis.image.bgr, threshold=face_models.WEAK_THRESHOLD) == []
    assert analysis.person_faces


def test_a_weak_candidate_on_paper_is_not_confirmed(analysed: Analysed) -> None:
    analysis = analysed("handheld_no_face.jpg")
    note = face_models.Face(box=(420, 60, 200, 200), score=-0.5)  # on the paper note
    assert not face_models.confirmed(analysis.image.bgr, note)
    assert analysis.person_faces == []
