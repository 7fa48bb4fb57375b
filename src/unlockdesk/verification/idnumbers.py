"""Mainland China resident ID numbers (GB 11643): what exactly is wrong with one.

Used by the ID-number check and by the wizard, so the customer gets the same verdict while
typing as the reviewer sees later.
"""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumError

from unlockdesk.accounts.identifiers import normalize_id_number

PROBLEMS: dict[str, Promise] = {
    "length": _("A resident ID number has 18 characters."),
    "format": _("A resident ID number has 17 digits followed by a digit or X."),
    "checksum": _("The last character (check digit) does not match: please check every digit."),
    "birth_date": _("The birth date inside the ID number (characters 7 to 14) is not a real date."),
    "region": _("The first six digits are not a known region code."),
}

OLDEST_BIRTH_YEAR = 1900


def id_number_problem(value: str, *, today: date | None = None) -> str | None:
    """None when valid; else one code of PROBLEMS (structure, check digit, date, region)."""
    number = normalize_id_number(value)
    if len(number) != 18:
        return "length"
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        return "format"
    if number[-1] != ric.calc_check_digit(number):
        return "checksum"
    try:
        born = ric.get_birth_date(number)
    except StdnumError:
        return "birth_date"
    if born > (today or timezone.localdate()) or born.year < OLDEST_BIRTH_YEAR:
        return "birth_date"
    try:
        ric.get_birth_place(number)
    except StdnumError:
        return "region"
    return None


def problem_message(code: str) -> str:
    return str(PROBLEMS[code])


@dataclass(frozen=True)
class IdNumberVerdict:
    valid: bool
    reason: str  # "ok" or a code of PROBLEMS
    birth_date: str | None  # YYYY-MM-DD when the date inside the number is real
    region: str | None  # the region code's place name when it is known


def describe_id_number(value: str, *, today: date | None = None) -> IdNumberVerdict:
    """The verdict of `id_number_problem` with what could be read from the number."""
    problem = id_number_problem(value, today=today)
    number = normalize_id_number(value)
    born = place = None
    if problem not in ("length", "format"):
        try:
            born = ric.get_birth_date(number).isoformat()
        except StdnumError:
            born = None
        try:
            parts = ric.get_birth_place(number)
            place = "".join(parts[key] for key in ("province", "prefecture", "county") if parts.get(key))
        except StdnumError:
            place = None
    return IdNumberVerdict(valid=problem is None, reason=problem or "ok", birth_date=born,
                           region=place or None)
