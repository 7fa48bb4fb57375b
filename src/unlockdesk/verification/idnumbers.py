"""Mainland China resident ID numbers (GB 11643): what exactly is wrong with one.

Used by the ID-number check and by the wizard, so the customer gets the same verdict while
typing as the reviewer sees later.

The first six digits are the place where the number was *issued*, often decades after birth (a
customer born in 1978 in a district coded in 1983 holds a genuine number with a 1983 code), so a
region code passes when it was known in any period, whatever the birth year. An unknown code is
still a problem ("region"), but only a warning: new codes are created every year and the code
list lags, so the wizard lets the customer go on and the reviewer sees the warning.
"""

import re
from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from stdnum import numdb
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumError

from unlockdesk.accounts.identifiers import normalize_id_number

PROBLEMS: dict[str, Promise] = {
    "length": _("A resident ID number has 18 characters."),
    "format": _("A resident ID number has 17 digits followed by a digit or X."),
    "checksum": _("The last character (check digit) does not match: please check every digit."),
    "birth_date": _("The birth date inside the ID number (characters 7 to 14) is not a real date."),
    "region": _("The first six digits are not a region code we know. If you copied them correctly, "
                "you can go on: a reviewer will check them."),
}
# Problems that do not stop the customer: the reviewer sees them as warnings.
WARNINGS = frozenset({"region"})

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
    if region_name(number[:6], birth_year=born.year) is None:
        return "region"
    return None


def blocking_id_number_problem(value: str, *, today: date | None = None) -> str | None:
    """The problem of `id_number_problem` unless it is only a warning (an unknown region code)."""
    problem = id_number_problem(value, today=today)
    return None if problem in WARNINGS else problem


def problem_message(code: str) -> str:
    return str(PROBLEMS[code])


_PERIOD = re.compile(r"^\[(\d{4})?-(\d{4})?\](.*)$")


def region_name(code: str, *, birth_year: int | None = None) -> str | None:
    """The place a six-digit region code names in any period, or None when no period knows it.

    Of several names over time, the one in use in `birth_year` is preferred (that is what
    python-stdnum reports), else the most recent one; the code is never refused for its period.
    """
    if len(code) != 6 or not code.isdigit():
        return None
    parts: dict[str, str] = {}
    for _part, props in numdb.get("cn/loc").info(code):
        parts.update(props)
    if not parts.get("county"):
        return None
    names: list[tuple[int, int, str]] = []
    for entry in parts["county"].split(","):
        period = _PERIOD.match(entry)
        if period is None:
            names.append((0, 9999, entry))
        else:
            names.append((int(period[1] or 0), int(period[2] or 9999), period[3]))
    current = [n for n in names if birth_year is not None and n[0] <= birth_year <= n[1]]
    county = (current or sorted(names, key=lambda n: n[1]))[-1][2]
    place = "".join(parts[key] for key in ("province", "prefecture") if parts.get(key))
    return place + county if county != place else place


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
        place = region_name(number[:6], birth_year=int(born[:4]) if born else None)
    return IdNumberVerdict(valid=problem is None, reason=problem or "ok", birth_date=born,
                           region=place or None)
