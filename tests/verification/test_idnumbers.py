"""ID numbers: structure, GB 11643 check digit, real birth date, known region; `check-id`."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from unlockdesk.verification.idnumbers import describe_id_number, id_number_problem

GOOD = "11010519491231002X"


@pytest.mark.parametrize(("number", "problem"), [
    (GOOD, None),
    ("11010519491231002x", None),  # lower-case x is the same number
    ("1101051949123100", "length"),
    ("1101051949123100A2", "format"),
    ("110105194912310021", "checksum"),
    ("110105194902300020", "birth_date"),  # 30 February
    ("990105194912310023", "region"),
])
def test_each_problem_of_an_id_number_has_its_own_code(number: str, problem: str | None) -> None:
    assert id_number_problem(number, today=date(2026, 11, 25)) == problem


def test_a_birth_date_after_today_is_not_real() -> None:
    assert id_number_problem("110105202701010016", today=date(2026, 11, 25)) == "birth_date"


def test_check_id_prints_validity_birth_date_and_region() -> None:
    out = StringIO()
    call_command("check-id", GOOD, stdout=out)
    assert json.loads(out.getvalue()) == {"valid": True, "reason": "ok", "birth_date": "1949-12-31",
                                          "region": "北京市朝阳区"}


def test_check_id_names_the_problem_of_a_wrong_check_digit() -> None:
    out = StringIO()
    call_command("check-id", "110105194912310021", stdout=out)
    answer = json.loads(out.getvalue())
    assert answer["valid"] is False and answer["reason"] == "checksum"


def test_a_number_too_short_to_read_has_no_birth_date_or_region() -> None:
    verdict = describe_id_number("12345")
    assert (verdict.valid, verdict.reason) == (False, "length")
    assert verdict.birth_date is None and verdict.region is None
