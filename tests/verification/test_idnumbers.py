"""ID numbers: structure, GB 11643 check digit, real birth date, known region; `check-id`."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from stdnum.cn import ric

from unlockdesk.verification.idnumbers import (
    WARNINGS,
    blocking_id_number_problem,
    describe_id_number,
    id_number_problem,
    region_name,
)

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


def _number(first17: str) -> str:
    return first17 + ric.calc_check_digit(first17 + "0")


# 130204 (Tangshan's 东矿区, later 古冶区) was coded in 1983; 110104 (宣武区) was retired in 2010.
BORN_BEFORE_ITS_CODE = _number("13020419780101001")
ISSUED_BEFORE_ITS_CODE_RETIRED = _number("11010420150101001")
UNKNOWN_REGION = _number("99010519491231002")


def test_a_number_issued_in_a_district_coded_after_the_birth_year_is_valid() -> None:
    assert id_number_problem(BORN_BEFORE_ITS_CODE, today=date(2026, 11, 25)) is None
    verdict = describe_id_number(BORN_BEFORE_ITS_CODE, today=date(2026, 11, 25))
    assert (verdict.valid, verdict.birth_date, verdict.region) == (True, "1978-01-01", "河北省古冶区")


def test_a_code_known_in_any_period_passes_even_after_it_was_retired() -> None:
    assert id_number_problem(ISSUED_BEFORE_ITS_CODE_RETIRED, today=date(2026, 11, 25)) is None
    assert describe_id_number(ISSUED_BEFORE_ITS_CODE_RETIRED).region == "北京市宣武区"


def test_the_name_in_use_in_the_birth_year_is_the_one_reported() -> None:
    assert region_name("130204", birth_year=1990) == "河北省东矿区"
    assert region_name("130204", birth_year=2000) == "河北省古冶区"


def test_check_id_says_valid_for_a_code_created_after_the_birth() -> None:
    out = StringIO()
    call_command("check-id", BORN_BEFORE_ITS_CODE, stdout=out)
    assert json.loads(out.getvalue())["valid"] is True


def test_check_id_still_refuses_a_code_no_period_knows() -> None:
    out = StringIO()
    call_command("check-id", UNKNOWN_REGION, stdout=out)
    answer = json.loads(out.getvalue())
    assert (answer["valid"], answer["reason"], answer["region"]) == (False, "region", None)


def test_an_unknown_region_is_a_warning_that_does_not_block() -> None:
    assert "region" in WARNINGS
    assert blocking_id_number_problem(UNKNOWN_REGION) is None
    assert blocking_id_number_problem("110105194912310021") == "checksum"
