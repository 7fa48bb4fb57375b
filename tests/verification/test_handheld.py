"""The handheld photo: the note (brand phrase, today's date, ticket number), a face, the card."""

from collections.abc import Callable
from datetime import date

import pytest

from tests.verification.pictures import ID_NUMBER, OTHER_ID_NUMBER, PHRASE, TICKET
from unlockdesk.verification.checks.analysis import Analysis
from unlockdesk.verification.checks.handheld import brand_words, judge_card, judge_face, judge_note
from unlockdesk.verification.checks.idcard import NO_PORTRAIT, PORTRAIT_CHECK
from unlockdesk.verification.imaging.ocr import OcrLine
from unlockdesk.verification.types import NoteExpectation, Result, Status

Analysed = Callable[[str], Analysis]
TODAY = date(2026, 11, 25)


def _note(analysed: Analysed, name: str, *, today: date = TODAY, ticket: str = TICKET) -> list[Result]:
    expected = NoteExpectation(phrase=PHRASE, date=today, ticket_number=ticket)
    return judge_note(analysed(name).lines, expected, grace=1, protected=brand_words())


@pytest.mark.parametrize("name", ["handheld_genuine.jpg", "handheld_date_cn.jpg"])
def test_note_with_phrase_todays_date_and_ticket_passes(analysed: Analysed, name: str) -> None:
    [result] = _note(analysed, name)
    assert (result.status, result.reason_code) == (Status.PASS, "ok")
    assert result.region is not None


def test_note_dated_yesterday_passes_within_the_grace_day(analysed: Analysed) -> None:
    [result] = _note(analysed, "handheld_genuine.jpg", today=date(2026, 11, 26))
    assert result.status == Status.PASS


def test_note_dated_two_days_ago_fails(analysed: Analysed) -> None:
    [result] = _note(analysed, "handheld_genuine.jpg", today=date(2026, 11, 27))
    assert (result.status, result.reason_code) == (Status.FAIL, "date_wrong")


def test_wrong_date_fails_telling_the_customer_the_date_is_not_today(analysed: Analysed) -> None:
    [result] = _note(analysed, "handheld_wrong_date.jpg")
    assert (result.status, result.reason_code) == (Status.FAIL, "date_wrong")
    assert "not today" in result.message_en and "2026-11-25" in result.message_en
    assert "2026-11-20" in result.detail
    assert result.region is not None and result.region.y > 100, "the date line is outlined"


def test_another_exchanges_phrase_fails(analysed: Analysed) -> None:
    [result] = _note(analysed, "handheld_wrong_brand.jpg")
    assert (result.status, result.reason_code) == (Status.FAIL, "phrase_missing")
    assert PHRASE in result.message_zh


def test_missing_ticket_number_fails(analysed: Analysed) -> None:
    [result] = _note(analysed, "handheld_no_ticket.jpg")
    assert (result.status, result.reason_code) == (Status.FAIL, "ticket_missing")
    assert TICKET in result.message_en


def test_another_ticket_number_fails(analysed: Analysed) -> None:
    [result] = _note(analysed, "handheld_genuine.jpg", ticket="UD-4M2PQR")
    assert result.reason_code == "ticket_missing"


def test_a_face_is_found_and_outlined(analysed: Analysed) -> None:
    result = judge_face(analysed("handheld_genuine.jpg").faces)
    assert (result.status, result.reason_code) == (Status.PASS, "face_found")
    assert result.region is not None and result.region.x < 360, "the face is on the left"


def test_no_human_face_fails(analysed: Analysed) -> None:
    result = judge_face(analysed("handheld_no_face.jpg").faces)
    assert (result.status, result.reason_code) == (Status.FAIL, "no_face")


def test_without_the_face_model_the_face_check_is_not_available() -> None:
    assert judge_face(None).status == Status.NOT_AVAILABLE


def test_card_carrying_the_applicants_number_passes(analysed: Analysed) -> None:
    result = judge_card(analysed("handheld_genuine.jpg").lines, ID_NUMBER)
    assert (result.status, result.reason_code) == (Status.PASS, "number_matches")
    assert ID_NUMBER not in result.detail, "numbers are masked for the reviewer"


def test_card_with_another_number_fails(analysed: Analysed) -> None:
    result = judge_card(analysed("handheld_other_card.jpg").lines, ID_NUMBER)
    assert (result.status, result.reason_code) == (Status.FAIL, "number_mismatch")
    assert OTHER_ID_NUMBER not in result.detail


def test_photo_without_a_card_fails(analysed: Analysed) -> None:
    result = judge_card(analysed("handheld_no_card.jpg").lines, ID_NUMBER)
    assert (result.status, result.reason_code) == (Status.FAIL, "no_card")


def test_a_note_without_a_date_fails_as_date_missing() -> None:
    lines = [OcrLine(PHRASE, (400, 60, 340, 40), 0.98), OcrLine(TICKET, (400, 160, 200, 40), 0.97)]
    expected = NoteExpectation(phrase=PHRASE, date=TODAY, ticket_number=TICKET)
    [result] = judge_note(lines, expected, grace=1, protected=brand_words())
    assert (result.status, result.reason_code) == (Status.FAIL, "date_missing")
    assert "2026-11-25" in result.message_en


def test_a_note_with_no_writing_read_fails_as_no_text() -> None:
    expected = NoteExpectation(phrase=PHRASE, date=TODAY, ticket_number=TICKET)
    [result] = judge_note([], expected, grace=1, protected=brand_words())
    assert (result.status, result.reason_code) == (Status.FAIL, "no_text")


def test_a_card_front_without_a_portrait_is_only_a_warning(analysed: Analysed) -> None:
    result = judge_face(analysed("id_back_valid.jpg").faces, check=PORTRAIT_CHECK,
                        missing_message=NO_PORTRAIT, missing_status=Status.WARN)
    assert (result.check, result.status, result.reason_code) == (PORTRAIT_CHECK, Status.WARN, "no_face")
