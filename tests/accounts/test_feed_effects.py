"""What an applied lock event changes beyond the mirror: the timeline of the account's open
tickets (recorded with the lock, announced live after commit), the customer's lock page and
the agent's account panel."""

from typing import Any

import pytest
from django.test import Client

from tests.accounts.feed_events import account_event, lock_event
from tests.factories import inbound, make_account
from tests.helpers import console_login, portal_login
from tests.listening import first_frame
from unlockdesk.accounts import feed, services
from unlockdesk.accounts.models import AccountLock
from unlockdesk.accounts.types import LockReason, Restriction
from unlockdesk.staff.models import Agent
from unlockdesk.tickets.models import EventKind, Status, Ticket
from unlockdesk.tickets.services import change_status, receive
from unlockdesk.tickets.types import Channel, IdentityKind

pytestmark = pytest.mark.django_db

UID = "31000001"
EMAIL = f"u{UID}@example.com"


@pytest.fixture
def open_ticket() -> Ticket:
    """A ticket from the account's proven address, so it is linked to the account."""
    feed.apply_events([account_event(UID)])
    receipt = receive(inbound(channel=Channel.WEB, sender=EMAIL, verified=True,
                              kind=IdentityKind.EMAIL))
    ticket = Ticket.objects.get(pk=receipt.ticket_id)
    assert ticket.account is not None and ticket.account.uid == UID
    return ticket


def lock_entries(ticket: Ticket) -> list[tuple[str, str]]:
    return [(e.kind, e.data.get("new", "")) for e in ticket.events.order_by("id")
            if e.kind in (EventKind.LOCK_PLACED, EventKind.LOCK_LIFTED)]


def test_placed_and_lifted_locks_are_on_the_open_tickets_timeline(open_ticket: Ticket) -> None:
    feed.apply_events([lock_event(UID, reason="suspicious_login", restrictions=["login"])])
    feed.apply_events([lock_event(UID, reason="suspicious_login", restrictions=["login"],
                                  version=2, lifted_at="2026-12-02T10:00:00+08:00")])
    assert lock_entries(open_ticket) == [(EventKind.LOCK_PLACED, "suspicious_login"),
                                         (EventKind.LOCK_LIFTED, "suspicious_login")]
    placed = open_ticket.events.get(kind=EventKind.LOCK_PLACED)
    assert placed.actor == "system:exchange" and placed.data["restrictions"] == ["login"]
    assert str(placed.new_label) == str(LockReason.SUSPICIOUS_LOGIN.label)


def test_a_version_that_changes_nothing_about_activity_adds_no_entry(open_ticket: Ticket) -> None:
    feed.apply_events([lock_event(UID)])
    feed.apply_events([lock_event(UID, version=2, note="reviewed, still locked")])
    assert lock_entries(open_ticket) == [(EventKind.LOCK_PLACED, "risk_control")]


def test_resolved_tickets_are_left_alone(open_ticket: Ticket) -> None:
    change_status(open_ticket, Status.RESOLVED, by=None)
    feed.apply_events([lock_event(UID)])
    assert lock_entries(open_ticket) == []


def test_a_refused_lock_leaves_no_timeline_entry(open_ticket: Ticket) -> None:
    feed.apply_events([lock_event(UID, reason="bored")])
    assert lock_entries(open_ticket) == []


def test_agent_locks_and_lifts_reach_the_timeline_too(open_ticket: Ticket) -> None:
    assert open_ticket.account is not None
    lock = services.lock_account(open_ticket.account, reason=LockReason.WRONG_CODES,
                                 restrictions=[Restriction.LOGIN], actor="agent:A1001")
    services.lift_lock(lock, actor="agent:R2001")
    assert lock_entries(open_ticket) == [(EventKind.LOCK_PLACED, "wrong_codes"),
                                         (EventKind.LOCK_LIFTED, "wrong_codes")]


def test_open_consoles_hear_of_the_lock_after_commit(
        open_ticket: Ticket, django_capture_on_commit_callbacks: Any) -> None:
    held: list[Any] = []

    def apply_lock() -> None:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            feed.apply_events([lock_event(UID, reason="stolen_report")])
        held.extend(callbacks)

    message = first_frame(f"ticket.{open_ticket.pk}", apply_lock)
    assert held, "the announcement waits for the commit"
    assert (message["type"], message["kind"], message["ticket"]) == (
        "ticket.event", "lock", open_ticket.number)
    assert (message["change"], message["reason"]) == ("placed", "stolen_report")


def test_customer_lock_page_shows_an_imported_lock_at_once(client: Client) -> None:
    feed.apply_events([account_event(UID), lock_event(UID, reason="compliance_review",
                                                      restrictions=["trade", "deposit"])])
    portal_login(client, EMAIL)
    page = client.get("/portal/").content.decode()
    assert 'data-reason="compliance_review"' in page
    feed.apply_events([lock_event(UID, reason="compliance_review", restrictions=["trade"],
                                  version=2, lifted_at="2026-12-03T08:00:00+00:00")])
    page = client.get("/portal/").content.decode()
    assert 'data-reason="compliance_review"' not in page


def test_console_account_panel_shows_imported_locks(client: Client, agent: Agent,
                                                    open_ticket: Ticket) -> None:
    feed.apply_events([lock_event(UID, reason="self_freeze",
                                  restrictions=["login", "trade", "withdraw"])])
    console_login(client, agent)
    page = client.get(f"/console/tickets/{open_ticket.number}/",
                      HTTP_ACCEPT_LANGUAGE="en").content.decode()
    panel = page[page.index('id="account-panel"'):]
    assert "Frozen by the account owner" in panel
    assert "Log in, Trade, Withdraw" in panel
    assert "张*" in panel and "11010519491231002X" not in page


def test_existing_mirror_rows_still_work_without_feed_fields() -> None:
    account = make_account(lock=LockReason.RISK_CONTROL)
    feed.apply_events([lock_event(account.uid, lock_id="L-new", reason="wrong_codes",
                                  restrictions=["login"])])
    assert AccountLock.objects.filter(account=account).count() == 2
