"""The inbox at volume: keyset pages, a bounded count, a fixed number of queries per page."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import receive_one
from tests.helpers import console_login
from unlockdesk.staff.models import Agent
from unlockdesk.tickets import selectors
from unlockdesk.tickets.models import Priority, Queue, Ticket
from unlockdesk.tickets.selectors import InboxFilters

pytestmark = pytest.mark.django_db


def make_tickets(count: int, start: int = 0) -> list[str]:
    return [receive_one(text="请帮忙看看", sender=f"inbox{start + i}@example.com").ticket_number
            for i in range(count)]


def queries_for_inbox(client: Client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/console/").status_code == 200
    return len(captured.captured_queries)


def test_an_inbox_page_costs_the_same_queries_for_3_or_30_tickets(
        client: Client, agent: Agent, settings) -> None:  # type: ignore[no-untyped-def]
    settings.UNLOCKDESK_INBOX_PAGE_SIZE = 50  # both pages partial: every priority is read
    console_login(client, agent)
    make_tickets(3)
    few = queries_for_inbox(client)
    make_tickets(27, start=3)
    assert queries_for_inbox(client) == few
    assert len(client.get("/console/").context["tickets"]) == 30


def test_keyset_pages_walk_every_ticket_once_in_priority_then_newest_order(agent: Agent) -> None:
    numbers = make_tickets(11)
    now = timezone.now()
    # Ties on updated_at and mixed priorities: the cursor must still neither skip nor repeat.
    for i, number in enumerate(numbers):
        Ticket.objects.filter(number=number).update(
            priority=[Priority.URGENT, Priority.NORMAL, Priority.LOW][i % 3],
            updated_at=now - timedelta(minutes=i // 4))
    seen: list[Ticket] = []
    after = ""
    while True:
        page = selectors.inbox_for(agent, InboxFilters(status="all"), after=after, limit=4)
        seen += page.tickets
        after = page.next_cursor
        if not after:
            break
    assert sorted(t.number for t in seen) == sorted(numbers)
    keys = [(t.priority, -t.updated_at.timestamp(), -t.pk) for t in seen]
    assert keys == sorted(keys)


def test_the_count_stops_at_its_limit(agent: Agent, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(selectors, "COUNT_LIMIT", 5)
    make_tickets(7)
    page = selectors.inbox_for(agent, InboxFilters())
    assert (page.count, page.count_capped) == (5, True)


def test_a_malformed_cursor_shows_the_first_page(agent: Agent) -> None:
    numbers = make_tickets(2)
    page = selectors.inbox_for(agent, InboxFilters(), after="not-a-cursor")
    assert sorted(t.number for t in page.tickets) == sorted(numbers)


def test_the_queue_filter_shows_that_queue_only(agent: Agent) -> None:
    kyc = Queue.objects.create(slug="kyc-test", name="KYC")
    first, _other = make_tickets(2)
    Ticket.objects.filter(number=first).update(queue=kyc)
    page = selectors.inbox_for(agent, InboxFilters(queue="kyc-test"))
    assert [t.number for t in page.tickets] == [first]
    assert selectors.inbox_for(agent, InboxFilters(queue="no-such-queue")).tickets == []


def test_a_creation_date_range_pages_in_inbox_order_without_gaps(agent: Agent) -> None:
    """The range is read from the created_at index and then ordered like every inbox page:
    rank first (waiting on us, priority, unassigned), newest updated first; the keyset cursor
    neither skips nor repeats."""
    numbers = make_tickets(12)
    now = timezone.now()
    for i, number in enumerate(numbers):
        created = now - timedelta(days=30 + i * 10)  # 30 .. 140 days ago
        Ticket.objects.filter(number=number).update(
            priority=[Priority.URGENT, Priority.NORMAL][i % 2], created_at=created,
            updated_at=created + timedelta(days=(i * 7) % 25), status="resolved" if i % 3 else "new")
    start, end = (now - timedelta(days=115)).date(), (now - timedelta(days=45)).date()
    expected = [t for t in Ticket.objects.filter(number__in=numbers)
                if start <= timezone.localtime(t.created_at).date() <= end]
    assert 4 <= len(expected) < 12
    seen: list[Ticket] = []
    after = ""
    while True:
        page = selectors.inbox_for(agent, InboxFilters(status="all", created_from=start, created_to=end),
                                   after=after, limit=3)
        seen += page.tickets
        after = page.next_cursor
        if not after:
            break
    assert sorted(t.number for t in seen) == sorted(t.number for t in expected)
    keys = [(t.inbox_rank, -t.updated_at.timestamp(), -t.pk) for t in seen]
    assert keys == sorted(keys)
    assert seen[-1].status == "resolved"  # done tickets after every open one
    open_only = selectors.inbox_for(agent, InboxFilters(created_from=start, created_to=end))
    assert {t.number for t in open_only.tickets} == {t.number for t in expected if t.status == "new"}
    assert open_only.count == len(open_only.tickets)
