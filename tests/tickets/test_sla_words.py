"""SLA timers in words and colours: what the inbox row and the ticket page show."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import translation

from tests.factories import receive_one
from unlockdesk.tickets.models import Status, Ticket
from unlockdesk.tickets.sla_words import due_words, duration_words, timer_of

NOW = datetime(2026, 12, 7, 2, tzinfo=UTC)


@pytest.mark.parametrize(("minutes", "english", "chinese"), [
    (0.5, "less than a minute", "不到 1 分钟"),
    (10, "10 min", "10 分钟"),
    (60, "1 h", "1 小时"),
    (135, "2 h 15 min", "2 小时 15 分"),
    (3 * 1440 + 240, "3 d 4 h", "3 天 4 小时"),
])
def test_durations_read_naturally(minutes: float, english: str, chinese: str) -> None:
    with translation.override("en"):
        assert duration_words(timedelta(minutes=minutes)) == english
    with translation.override("zh-hans"):
        assert duration_words(timedelta(minutes=minutes)) == chinese


def test_due_and_overdue_in_both_languages() -> None:
    with translation.override("zh-hans"):
        assert due_words(NOW + timedelta(minutes=135), NOW) == "2 小时 15 分后到期"
        assert due_words(NOW - timedelta(minutes=10), NOW) == "已超时 10 分钟"
    with translation.override("en"):
        assert due_words(NOW - timedelta(minutes=10), NOW) == "overdue by 10 min"


@pytest.mark.django_db
def test_timer_state_follows_the_ticket() -> None:
    ticket = Ticket.objects.get(pk=receive_one().ticket_id)
    due = min(d for d in (ticket.first_response_due, ticket.resolution_due) if d)
    assert timer_of(ticket, due - timedelta(hours=10)).state == "ok"  # type: ignore[union-attr]
    assert ticket.sla_warning_at is not None
    assert timer_of(ticket, ticket.sla_warning_at).state == "warning"  # type: ignore[union-attr]
    assert timer_of(ticket, due + timedelta(minutes=1)).state == "breached"  # type: ignore[union-attr]
    ticket.sla_paused_at = due
    assert timer_of(ticket, due).state == "paused"  # type: ignore[union-attr]
    ticket.status = Status.RESOLVED
    assert timer_of(ticket, due) is None
