"""`unlockdesk check IMAGE --kind ...`: a JSON list of results per check; Django's system
checks still run without --kind."""

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.verification.conftest import FIXTURES
from tests.verification.pictures import ID_NUMBER, NAME, TICKET


def _check(name: str, *args: str) -> list[dict[str, Any]]:
    out = StringIO()
    call_command("check", str(FIXTURES / name), *args, stdout=out)
    results: list[dict[str, Any]] = json.loads(out.getvalue())
    for item in results:
        assert {"check", "status", "reason", "message"} <= set(item)
    return results


def _by_check(results: list[dict[str, Any]], word: str) -> list[dict[str, Any]]:
    return [r for r in results if word in r["check"]]


def test_genuine_handheld_photo_passes_every_check() -> None:
    results = _check("handheld_genuine.jpg", "--kind", "handheld", "--ticket", TICKET,
                     "--today", "2026-11-25", "--id-number", ID_NUMBER)
    assert {r["status"] for r in results} == {"pass"}, results
    assert _by_check(results, "note") and _by_check(results, "face")


def test_wrong_date_on_the_note_fails_the_note_check_only() -> None:
    results = _check("handheld_wrong_date.jpg", "--kind", "handheld", "--ticket", TICKET,
                     "--today", "2026-11-25")
    [note] = _by_check(results, "note")
    assert (note["status"], note["reason"]) == ("fail", "date_wrong")
    assert all(r["status"] == "pass" for r in results if r is not note)


def test_messages_follow_the_chosen_language() -> None:
    results = _check("handheld_wrong_date.jpg", "--kind", "handheld", "--today", "2026-11-25",
                     "--language", "zh-hans")
    [note] = _by_check(results, "note")
    assert "今天" in note["message"], note["message"]


def test_face_match_with_the_card_front() -> None:
    results = _check("handheld_other_person.jpg", "--kind", "handheld", "--today", "2026-11-25",
                     "--id-front", str(FIXTURES / "id_front_genuine.jpg"))
    [match] = [r for r in _by_check(results, "face") if r["check"] == "face_match"]
    assert (match["status"], match["reason"]) == ("fail", "different_person")


def test_id_card_front_compares_name_and_number() -> None:
    results = _check("id_front_other_name.jpg", "--kind", "id_front", "--name", NAME,
                     "--id-number", ID_NUMBER, "--today", "2026-11-25")
    assert [(r["check"], r["reason"]) for r in results if r["status"] == "fail"] == [
        ("id_card_front", "name_mismatch")]


def test_id_card_back_expired() -> None:
    results = _check("id_back_expired.jpg", "--kind", "id_back", "--today", "2026-11-25")
    assert [(r["check"], r["reason"]) for r in results if r["status"] == "fail"] == [
        ("id_card_back", "expired")]


def test_a_file_that_is_not_a_picture_is_one_unreadable_fail(tmp_path: Any) -> None:
    junk = tmp_path / "note.jpg"
    junk.write_bytes(b"not an image")
    out = StringIO()
    call_command("check", str(junk), "--kind", "handheld", stdout=out)
    assert [(r["status"], r["reason"]) for r in json.loads(out.getvalue())] == [("fail", "unreadable")]


@pytest.mark.parametrize("args", [["missing.jpg", "--kind", "handheld"],
                                  [str(FIXTURES / "handheld_genuine.jpg"), "--kind", "handheld",
                                   "--today", "25/11/2026"],
                                  [str(FIXTURES / "handheld_genuine.jpg"), "--kind", "handheld",
                                   "--ticket", "not-a-ticket"]])
def test_bad_input_is_a_clear_error(args: list[str]) -> None:
    with pytest.raises(CommandError):
        call_command("check", *args, stdout=StringIO())


def test_without_kind_the_system_checks_run() -> None:
    out = StringIO()
    call_command("check", stdout=out)
    assert "no issues" in out.getvalue()
