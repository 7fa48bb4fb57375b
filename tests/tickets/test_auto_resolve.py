"""Tickets the customer left waiting resolve themselves after UNLOCKDESK_AUTO_RESOLVE_DAYS, with
a notice in the customer's language, and the customer's answer brings them back."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import receive_one
from unlockdesk.tickets.models import Direction, EventKind, Message, Status, Ticket
from unlockdesk.tickets.services import change_status
from unlockdesk.tickets.tasks import resolve_idle

pytestmark = pytest.mark.django_db


def _waiting(status: Status, *, idle_days: float, sender: str, text: str = "我的账户被锁了") -> Ticket:
    ticket = Ticket.objects.get(pk=receive_one(sender=sender, text=text, subject="").ticket_id)
    change_status(ticket, status, by=None)
    Ticket.objects.filter(pk=ticket.pk).update(updated_at=timezone.now() - timedelta(days=idle_days))
    return Ticket.objects.get(pk=ticket.pk)


def _notices(ticket: Ticket) -> list[str]:
    return list(Message.objects.filter(ticket=ticket, direction=Direction.OUTBOUND,
                                       headers__auto="auto_resolved").values_list("body_text", flat=True))


def test_a_ticket_the_customer_left_waiting_is_resolved_with_a_notice(settings) -> None:  # type: ignore[no-untyped-def]
    settings.UNLOCKDESK_AUTO_RESOLVE_DAYS = 14
    left = _waiting(Status.WAITING_CUSTOMER, idle_days=15, sender="left@example.com")
    recent = _waiting(Status.WAITING_CUSTOMER, idle_days=3, sender="recent@example.com")
    ours = _waiting(Status.WAITING_US, idle_days=30, sender="ours@example.com")
    assert resolve_idle() == 1
    statuses = dict(Ticket.objects.filter(pk__in=[left.pk, recent.pk, ours.pk]).values_list("pk", "status"))
    assert statuses == {left.pk: Status.RESOLVED, recent.pk: Status.WAITING_CUSTOMER,
                        ours.pk: Status.WAITING_US}
    (notice,) = _notices(left)
    assert left.number in notice and "14" in notice and "已解决" in notice, "in the customer's language"
    event = left.events.filter(kind=EventKind.STATUS).latest("pk")
    assert event.actor == "system" and event.data == {"old": "waiting_customer", "new": "resolved"}
    assert resolve_idle() == 0, "once"


def test_an_english_customer_reads_the_notice_in_english(settings) -> None:  # type: ignore[no-untyped-def]
    settings.UNLOCKDESK_AUTO_RESOLVE_DAYS = 14
    ticket = _waiting(Status.WAITING_CUSTOMER, idle_days=20, sender="en@example.com",
                      text="My account is locked, please help")
    resolve_idle()
    (notice,) = _notices(ticket)
    assert "We have not heard from you for 14 days" in notice and ticket.number in notice


def test_the_customers_answer_reopens_it(settings) -> None:  # type: ignore[no-untyped-def]
    settings.UNLOCKDESK_AUTO_RESOLVE_DAYS = 14
    ticket = _waiting(Status.WAITING_CUSTOMER, idle_days=15, sender="back@example.com")
    resolve_idle()
    receipt = receive_one(sender="back@example.com", ticket_number=ticket.number, text="我回来了")
    assert receipt.ticket_id == ticket.pk
    ticket.refresh_from_db()
    assert ticket.status == Status.WAITING_US


def test_zero_days_turns_it_off(settings) -> None:  # type: ignore[no-untyped-def]
    settings.UNLOCKDESK_AUTO_RESOLVE_DAYS = 0
    ticket = _waiting(Status.WAITING_CUSTOMER, idle_days=400, sender="never@example.com")
    assert resolve_idle() == 0
    ticket.refresh_from_db()
    assert ticket.status == Status.WAITING_CUSTOMER


@pytest.mark.parametrize(("application_status", "resolved"), [
    ("in_review", False), ("checking", False), ("approved", False), ("needs_info", True)])
def test_only_the_customers_move_counts_for_a_ticket_with_an_unlock_application(
    settings, application_status: str, resolved: bool,  # type: ignore[no-untyped-def]
) -> None:
    from tests.unlock.builders import customer_for, locked_account, submitted
    from unlockdesk.unlock.models import UnlockApplication

    settings.UNLOCKDESK_AUTO_RESOLVE_DAYS = 14
    locked_account(email="review@example.com")
    application = submitted(customer_for("review@example.com"))
    UnlockApplication.objects.filter(pk=application.pk).update(status=application_status)
    assert application.ticket is not None
    change_status(application.ticket, Status.WAITING_CUSTOMER, by=None)
    Ticket.objects.filter(pk=application.ticket_id).update(updated_at=timezone.now() - timedelta(days=30))
    assert resolve_idle() == int(resolved)
    expected = Status.RESOLVED if resolved else Status.WAITING_CUSTOMER
    assert Ticket.objects.get(pk=application.ticket_id).status == expected
