"""The demo's SLA set-up: desk hours 09:00-21:00 Beijing time on weekdays, P1 and the security
queue around the clock; seeding twice changes nothing."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from unlockdesk.tickets import sla
from unlockdesk.tickets.models import BusinessCalendar, Priority, Queue, SlaPolicy
from unlockdesk.web.demo.seed import seed_reference_data

pytestmark = pytest.mark.django_db
FRIDAY_NIGHT = datetime(2026, 12, 4, 22, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_demo_policies_are_seeded_once() -> None:
    seed_reference_data()
    seed_reference_data()
    assert BusinessCalendar.objects.count() == 2
    assert SlaPolicy.objects.count() == 2 * len(Priority)


def test_normal_tickets_wait_for_monday_but_p1_and_security_do_not() -> None:
    seed_reference_data()
    general = Queue.objects.get(slug="general").pk
    security = Queue.objects.get(slug="security").pk
    first, _resolve = sla.due_times(Priority.NORMAL, FRIDAY_NIGHT, general)
    assert first == datetime(2026, 12, 7, 13, tzinfo=ZoneInfo("Asia/Shanghai"))  # 4 business h
    first, _resolve = sla.due_times(Priority.URGENT, FRIDAY_NIGHT, general)
    assert (first - FRIDAY_NIGHT).total_seconds() == 15 * 60
    first, _resolve = sla.due_times(Priority.NORMAL, FRIDAY_NIGHT, security)
    assert (first - FRIDAY_NIGHT).total_seconds() == 30 * 60
