"""Business-hours arithmetic for SLA clocks: pure functions, no database.

A calendar says when the desk works: a time zone, working weekdays, daily opening hours and
holidays (or around the clock). Working windows are laid out in the calendar's local wall time
and compared as absolute instants, so a daylight-saving change is counted as the clock on the
wall shows it (a 09:00-17:00 day is 8 hours on either side of the change, and a night shift
is not shortened or lengthened by an hour it never worked).
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# A calendar with no working time at all would make `add` loop forever; past this many days
# without one working minute the calendar is refused.
MAX_DAYS = 3 * 366


class NoWorkingTime(ValueError):
    """The calendar has no working time within MAX_DAYS of the start."""


@dataclass(frozen=True)
class Calendar:
    time_zone: str = "UTC"
    working_days: frozenset[int] = frozenset(range(7))  # date.weekday(): Monday 0 ... Sunday 6
    opens: time = time(0)
    closes: time = time(0)  # equal to `opens`: the whole day
    holidays: frozenset[date] = field(default_factory=frozenset)
    around_the_clock: bool = False

    def __post_init__(self) -> None:
        ZoneInfo(self.time_zone)  # raises for an unknown zone
        if self.closes != time(0) and self.closes <= self.opens:
            raise ValueError("closing time must be after opening time (or 00:00 for midnight)")

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)


AROUND_THE_CLOCK = Calendar(around_the_clock=True)


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("business-hours arithmetic needs time-zone-aware datetimes")
    return moment.astimezone(UTC)


def _windows(calendar: Calendar, start: datetime,
             until: datetime | None = None) -> Iterator[tuple[datetime, datetime]]:
    """Working windows in UTC, in order, from the local day before `start`'s on (a window may
    end past midnight), up to the local day of `until` when given."""
    zone = calendar.zone
    day = start.astimezone(zone).date() - timedelta(days=1)
    last = until.astimezone(zone).date() if until is not None else None
    for _n in range(MAX_DAYS + 2):
        if last is not None and day > last:
            return
        if day.weekday() in calendar.working_days and day not in calendar.holidays:
            opens = datetime.combine(day, calendar.opens, tzinfo=zone)
            closes_day = day + timedelta(days=1) if calendar.closes == time(0) else day
            closes = datetime.combine(closes_day, calendar.closes, tzinfo=zone)
            yield opens.astimezone(UTC), closes.astimezone(UTC)
        day += timedelta(days=1)
    raise NoWorkingTime(f"no working time in {MAX_DAYS} days")


def add_business_time(calendar: Calendar, start: datetime, amount: timedelta) -> datetime:
    """The instant when `amount` of working time has passed since `start` (UTC).

    Starting outside working hours counts from the next opening; an amount of zero returns
    `start` itself (or the next opening when `start` is outside working hours).
    """
    cursor = _aware(start)
    if amount < timedelta(0):
        raise ValueError("amount must not be negative")
    if calendar.around_the_clock:
        return cursor + amount
    remaining = amount
    for opens, closes in _windows(calendar, cursor):
        if closes <= cursor:
            continue
        begin = max(opens, cursor)
        available = closes - begin
        if remaining <= available:
            return begin + remaining
        remaining -= available
    raise NoWorkingTime("unreachable")  # pragma: no cover - _windows raises first


def add_business_minutes(calendar: Calendar, start: datetime, minutes: float) -> datetime:
    return add_business_time(calendar, start, timedelta(minutes=minutes))


def business_time_between(calendar: Calendar, start: datetime, end: datetime) -> timedelta:
    """Working time from `start` to `end`; zero when `end` is not after `start`."""
    begin, finish = _aware(start), _aware(end)
    if finish <= begin:
        return timedelta(0)
    if calendar.around_the_clock:
        return finish - begin
    total = timedelta(0)
    for opens, closes in _windows(calendar, begin, until=finish):
        overlap = min(closes, finish) - max(opens, begin)
        if overlap > timedelta(0):
            total += overlap
    return total


def business_minutes_between(calendar: Calendar, start: datetime, end: datetime) -> float:
    return business_time_between(calendar, start, end).total_seconds() / 60
