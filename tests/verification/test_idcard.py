"""The ID card: the front's name and number against the application, the back's validity."""

from collections.abc import Callable
from datetime import date

import pytest

from tests.verification.pictures import ID_NUMBER, NAME
from unlockdesk.verification.checks.analysis import Analysis
from unlockdesk.verification.checks.idcard import judge_back, judge_front
from unlockdesk.verification.types import Status

Analysed = Callable[[str], Analysis]


def test_front_with_the_applicants_name_and_number_passes(analysed: Analysed) -> None:
    [result] = judge_front(analysed("id_front_genuine.jpg").lines, name=NAME, id_number=ID_NUMBER)
    assert (result.status, result.reason_code) == (Status.PASS, "match")
    assert NAME not in result.detail and ID_NUMBER not in result.detail


@pytest.mark.parametrize(("name", "reason"), [("id_front_other_name.jpg", "name_mismatch"),
                                              ("id_front_other_number.jpg", "number_mismatch")])
def test_front_of_someone_else_fails(analysed: Analysed, name: str, reason: str) -> None:
    results = judge_front(analysed(name).lines, name=NAME, id_number=ID_NUMBER)
    assert [(r.status, r.reason_code) for r in results] == [(Status.FAIL, reason)]
    assert results[0].region is not None


def test_front_with_nothing_to_compare_reports_it_can_be_read(analysed: Analysed) -> None:
    [result] = judge_front(analysed("id_front_genuine.jpg").lines, name="", id_number="")
    assert (result.status, result.reason_code) == (Status.PASS, "readable")


def test_front_without_any_card_text_is_a_warning(analysed: Analysed) -> None:
    [result] = judge_front(analysed("id_back_valid.jpg").lines, name=NAME, id_number=ID_NUMBER)
    assert (result.status, result.reason_code) == (Status.WARN, "unreadable")


@pytest.mark.parametrize("name", ["id_back_valid.jpg", "id_back_permanent.jpg"])
def test_back_of_a_valid_card_passes(analysed: Analysed, name: str) -> None:
    result = judge_back(analysed(name).lines, today=date(2026, 11, 25))
    assert (result.status, result.reason_code) == (Status.PASS, "valid")


def test_back_of_an_expired_card_fails_with_the_end_date(analysed: Analysed) -> None:
    result = judge_back(analysed("id_back_expired.jpg").lines, today=date(2026, 11, 25))
    assert (result.status, result.reason_code) == (Status.FAIL, "expired")
    assert "2026-03-01" in result.message_en and result.region is not None
