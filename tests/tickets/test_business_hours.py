"""Business-hours arithmetic: weekends, holidays, opening hours, a DST-free zone and one with DST."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pytest

from unlockdesk.tickets.business_hours import (
    AROUND_THE_CLOCK,
    Calendar,
    NoWorkingTime,
    add_business_minutes,
    business_minutes_between,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_YORK = ZoneInfo("America/New_York")
WEEKDAYS = frozenset(range(5))
DESK = Calendar(time_zone="Asia/Shanghai", working_days=WEEKDAYS, opens=time(9), closes=time(21))


def cst(*args: int) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)  # type: ignore[misc]


def test_friday_evening_plus_two_hours_lands_on_monday_morning() -> None:
    # Friday 2026-12-04 20:00: one hour left that day, the weekend does not count.
    assert add_business_minutes(DESK, cst(2026, 12, 4, 20), 120) == cst(2026, 12, 7, 10)


def test_a_holiday_monday_is_skipped_like_a_weekend() -> None:
    desk = Calendar(time_zone="Asia/Shanghai", working_days=WEEKDAYS, opens=time(9),
                    closes=time(21), holidays=frozenset({date(2026, 12, 7)}))
    assert add_business_minutes(desk, cst(2026, 12, 4, 20), 120) == cst(2026, 12, 8, 10)
    assert business_minutes_between(desk, cst(2026, 12, 4, 20), cst(2026, 12, 8, 10)) == 120


def test_national_day_week_of_holidays() -> None:
    golden_week = frozenset(date(2026, 10, d) for d in range(1, 8))
    desk = Calendar(time_zone="Asia/Shanghai", working_days=WEEKDAYS, opens=time(9),
                    closes=time(21), holidays=golden_week)
    # Wednesday 30 September 20:30 + 60 minutes: 30 minutes then, 30 on Thursday 8 October.
    assert add_business_minutes(desk, cst(2026, 9, 30, 20, 30), 60) == cst(2026, 10, 8, 9, 30)


def test_starting_before_opening_counts_from_opening() -> None:
    assert add_business_minutes(DESK, cst(2026, 12, 7, 7), 30) == cst(2026, 12, 7, 9, 30)
    assert add_business_minutes(DESK, cst(2026, 12, 5, 12), 0) == cst(2026, 12, 7, 9)


def test_an_amount_that_fills_the_day_exactly_ends_at_closing() -> None:
    assert add_business_minutes(DESK, cst(2026, 12, 7, 9), 12 * 60) == cst(2026, 12, 7, 21)


def test_elapsed_across_a_weekend_counts_only_working_hours() -> None:
    assert business_minutes_between(DESK, cst(2026, 12, 4, 20), cst(2026, 12, 7, 10)) == 120
    assert business_minutes_between(DESK, cst(2026, 12, 5, 9), cst(2026, 12, 6, 20)) == 0


def test_elapsed_is_zero_when_the_end_is_not_after_the_start() -> None:
    assert business_minutes_between(DESK, cst(2026, 12, 7, 12), cst(2026, 12, 7, 11)) == 0


def test_adding_then_measuring_gives_the_amount_back() -> None:
    start = cst(2026, 12, 3, 6, 17)
    for hours in range(0, 200, 7):
        for minutes in (0, 1, 59, 719, 1441):
            begin = start + timedelta(hours=hours)
            end = add_business_minutes(DESK, begin, minutes)
            assert business_minutes_between(DESK, begin, end) == pytest.approx(minutes)


def test_shanghai_has_no_daylight_saving_so_the_offset_stays_eight_hours() -> None:
    for month in (1, 4, 7, 11):
        due = add_business_minutes(DESK, cst(2026, month, 15, 8), 60)
        assert due.astimezone(SHANGHAI).hour == 10
        assert due.astimezone(UTC).hour == 2


def test_new_york_desk_over_the_end_of_daylight_saving() -> None:
    # Clocks go back on Sunday 2026-11-01; Friday 16:00 EDT + 2 h = Monday 10:00 EST.
    desk = Calendar(time_zone="America/New_York", working_days=WEEKDAYS, opens=time(9),
                    closes=time(17))
    friday = datetime(2026, 10, 30, 16, tzinfo=NEW_YORK)
    monday = datetime(2026, 11, 2, 10, tzinfo=NEW_YORK)
    assert add_business_minutes(desk, friday, 120) == monday
    assert business_minutes_between(desk, friday, monday) == 120


def test_whole_day_calendar_counts_the_short_spring_day_as_it_was_worked() -> None:
    # London moves from 01:00 to 02:00 on Sunday 2026-03-29: that day has 23 hours.
    london = ZoneInfo("Europe/London")
    every_day = Calendar(time_zone="Europe/London")
    start = datetime(2026, 3, 29, 0, tzinfo=london)
    assert business_minutes_between(every_day, start, datetime(2026, 3, 30, 0, tzinfo=london)) == 23 * 60
    assert add_business_minutes(every_day, start, 23 * 60) == datetime(2026, 3, 30, 0, tzinfo=london)


def test_around_the_clock_is_plain_wall_time() -> None:
    start = datetime(2026, 12, 5, 23, tzinfo=UTC)
    assert add_business_minutes(AROUND_THE_CLOCK, start, 90) == start + timedelta(minutes=90)
    assert business_minutes_between(AROUND_THE_CLOCK, start, start + timedelta(days=2)) == 2880


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError):
        add_business_minutes(DESK, datetime(2026, 12, 7, 10), 5)


def test_a_calendar_without_working_days_is_refused_instead_of_looping() -> None:
    nothing = Calendar(time_zone="Asia/Shanghai", working_days=frozenset())
    with pytest.raises(NoWorkingTime):
        add_business_minutes(nothing, cst(2026, 12, 7, 10), 5)
    assert business_minutes_between(nothing, cst(2026, 12, 7), cst(2026, 12, 9)) == 0


def test_closing_before_opening_is_refused() -> None:
    with pytest.raises(ValueError):
        Calendar(time_zone="Asia/Shanghai", opens=time(18), closes=time(9))
    with pytest.raises(ZoneInfoNotFoundError):
        Calendar(time_zone="Mars/Olympus")
