"""Making sense of OCR text: dates in every common format, the phrase with the brand kept
exact, ticket numbers with OCR look-alikes, and the validity period of an ID card."""

from datetime import date

import pytest

from unlockdesk.verification.checks import reading

DAY = date(2026, 11, 25)


@pytest.mark.parametrize("written", ["2026-11-25", "2026/11/25", "2026.11.25", "2026年11月25日",
                                     "20261125", "2026 年 11 月 25 日", "25/11/2026", "2O26-11-25"])
def test_todays_date_is_read_in_every_common_format(written: str) -> None:
    assert DAY in reading.find_dates([written])


@pytest.mark.parametrize("read", ["2026.11·25", "2026·11·25", "2026,11.25", "2026-11-25I单 UD-BMRJGH",
                                  "2026-11-25Ticket UD-7K3F9X"])
def test_todays_date_survives_ocr_slips_around_it(read: str) -> None:
    assert DAY in reading.find_dates([read])


def test_an_impossible_date_is_not_read() -> None:
    assert reading.find_dates(["2026-02-30"]) == []


def test_the_phrase_survives_one_ocr_slip_outside_the_brand() -> None:
    assert reading.find_phrase(["仅用于欧易账尸解锁"], "仅用于欧易账户解锁", protected=["欧易"]).found


def test_another_brand_in_the_phrase_is_never_forgiven() -> None:
    match = reading.find_phrase(["仅用于欧昜账户解锁"], "仅用于欧易账户解锁", protected=["欧易"])
    assert not match.found


def test_ticket_number_is_found_despite_look_alike_characters() -> None:
    assert reading.contains_code(["UD-7K3F9X"], "UD-7K3F9X")
    assert reading.contains_code(["ud 7k3f9x"], "UD-7K3F9X")
    assert not reading.contains_code(["UD-7K3F"], "UD-7K3F9X")


def test_id_numbers_are_read_with_a_multiplication_sign_for_x() -> None:
    assert reading.find_id_numbers(["公民身份号码 11010519491231002×"]) == ["11010519491231002X"]


@pytest.mark.parametrize(("text", "end", "permanent"), [
    ("有效期限 2016.03.01-2036.03.01", date(2036, 3, 1), False),
    ("有效期限2016年03月01日至2036年03月01日", date(2036, 3, 1), False),
    ("有效期限 2016.03.01-长期", None, True),
])
def test_validity_period_is_read_from_the_back_of_the_card(text: str, end: date | None,
                                                             permanent: bool) -> None:
    validity = reading.find_validity([text])
    assert validity is not None and (validity.end, validity.permanent) == (end, permanent)
