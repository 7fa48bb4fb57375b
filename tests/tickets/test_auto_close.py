"""Resolved tickets close by themselves after UNLOCKDESK_AUTO_CLOSE_DAYS, so retention starts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import receive_one
from unlockdesk.tickets.models import EventKind, Status, Ticket
from unlockdesk.tickets.services import change_status
from unlockdesk.tickets.tasks import close_resolved

pytestmark = pytest.mark.django_db


def _resolved(days_ago: float, external_id: str) -> Ticket:
    ticket = Ticket.objects.get(pk=receive_one(external_id=external_id).ticket_id)
    change_status(ticket, Status.RESOLVED, by=None)
    Ticket.objects.filter(pk=ticket.pk).update(resolved_at=timezone.now() - timedelta(days=days_ago))
    return ticket


def test_resolved_ticket_past_the_period_closes_and_the_timeline_says_so(settings) -> None:  # type: ignore[no-untyped-def]
    settings.UNLOCKDESK_AUTO_CLOSE_DAYS = 7
    old, recent = _resolved(8, "<old@example.com>"), _resolved(2, "<recent@example.com>")
    assert close_resolved() == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.status == Status.CLOSED and recent.status == Status.RESOLVED
    assert timezone.now() - old.resolved_at < timedelta(minutes=1)  # retention counts from the close
    event = old.events.filter(kind=EventKind.STATUS).latest("pk")
    assert event.actor == "system" and event.data == {"old": "resolved", "new": "closed"}


def test_open_and_waiting_tickets_are_never_auto_closed(settings) -> None:  # type: ignore[no-untyped-def]
    settings.UNLOCKDESK_AUTO_CLOSE_DAYS = 0
    ticket = Ticket.objects.get(pk=receive_one(external_id="<open@example.com>").ticket_id)
    change_status(ticket, Status.WAITING_CUSTOMER, by=None)
    Ticket.objects.filter(pk=ticket.pk).update(updated_at=timezone.now() - timedelta(days=30))
    assert close_resolved() == 0
    ticket.refresh_from_db()
    assert ticket.status == Status.WAITING_CUSTOMER
