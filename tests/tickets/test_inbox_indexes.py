"""The inbox and each of its filters read in rank order from an index that matches, and the
bounded count is right for every filter (issue #13 after routing's rank-first order)."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import make_agent, receive_one
from unlockdesk.staff.models import Agent, Role
from unlockdesk.tickets import selectors
from unlockdesk.tickets.models import Queue, Status, Ticket
from unlockdesk.tickets.selectors import InboxFilters

pytestmark = pytest.mark.django_db

_STATUSES = [Status.NEW, Status.OPEN, Status.WAITING_CUSTOMER, Status.WAITING_US, Status.RESOLVED,
             Status.CLOSED]


@pytest.fixture
def desk() -> tuple[Agent, Agent, Queue]:
    """18 tickets over every status, priority, two channels, a queue and one assignee."""
    supervisor = make_agent(role=Role.SUPERVISOR)
    worker = make_agent(role=Role.AGENT)
    queue = Queue.objects.create(slug="payments-idx", name="Payments")
    numbers = [receive_one(text="查一下提币", sender=f"idx{i}@example.com").ticket_number
               for i in range(18)]
    now = timezone.now()
    for i, number in enumerate(numbers):
        Ticket.objects.filter(number=number).update(
            status=_STATUSES[i % 6], priority=1 + i % 4, channel="telegram" if i % 3 else "email",
            queue=queue if i % 2 else None, assignee=worker if i % 5 in (1, 2) else None,
            created_at=now - timedelta(days=i), updated_at=now - timedelta(hours=i))
    return supervisor, worker, queue


def _all_of(agent: Agent, filters: InboxFilters) -> list[Ticket]:
    seen: list[Ticket] = []
    after = ""
    while True:
        page = selectors.inbox_for(agent, filters, after=after, limit=4)
        seen += page.tickets
        after = page.next_cursor
        if not after:
            return seen


def test_each_filter_pages_in_rank_order_and_counts_exactly_what_it_shows(desk) -> None:  # type: ignore[no-untyped-def]
    supervisor, worker, queue = desk
    cases = {
        InboxFilters(): Ticket.objects.exclude(status__in=[Status.RESOLVED, Status.CLOSED]),
        InboxFilters(status="all"): Ticket.objects.all(),
        InboxFilters(status="open"): Ticket.objects.filter(status="open"),
        InboxFilters(priority="2"): Ticket.objects.filter(priority=2).exclude(
            status__in=[Status.RESOLVED, Status.CLOSED]),
        InboxFilters(channel="email", status="all"): Ticket.objects.filter(channel="email"),
        InboxFilters(queue=queue.slug): Ticket.objects.filter(queue=queue).exclude(
            status__in=[Status.RESOLVED, Status.CLOSED]),
    }
    for filters, expected in cases.items():
        seen = _all_of(supervisor, filters)
        assert sorted(t.pk for t in seen) == sorted(expected.values_list("pk", flat=True)), filters
        keys = [(t.inbox_rank, -t.updated_at.timestamp(), -t.pk) for t in seen]
        assert keys == sorted(keys), filters
        assert selectors.inbox_for(supervisor, filters).count == len(seen), filters
    mine = _all_of(worker, InboxFilters(mine=True))
    assert {t.pk for t in mine} == set(Ticket.objects.filter(assignee=worker).exclude(
        status__in=[Status.RESOLVED, Status.CLOSED]).values_list("pk", flat=True))
    assert selectors.inbox_for(worker, InboxFilters(mine=True)).count == len(mine) > 0


def test_mine_reads_only_the_assigned_ranks(desk) -> None:  # type: ignore[no-untyped-def]
    _, worker, _ = desk
    with CaptureQueriesContext(connection) as everyone:
        selectors.inbox_for(worker, InboxFilters(), limit=50)
    selectors.forget_queue_ids(worker)  # both calls read the agent's queues
    with CaptureQueriesContext(connection) as mine:
        selectors.inbox_for(worker, InboxFilters(mine=True), limit=50)
    # 16 open ranks for everyone; the 8 assigned ones for "mine" (plus the same fixed queries).
    assert len(everyone.captured_queries) - len(mine.captured_queries) == 8


def _plan_of(sql: str) -> dict:  # type: ignore[type-arg]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
        raw = cursor.fetchone()[0]
    return (raw if isinstance(raw, list) else json.loads(raw))[0]["Plan"]


def _nodes(plan: dict) -> list[dict]:  # type: ignore[type-arg]
    return [plan] + [n for child in plan.get("Plans", []) for n in _nodes(child)]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL plans")
def test_every_inbox_query_is_an_index_walk_with_no_sort_on_postgresql(desk) -> None:  # type: ignore[no-untyped-def]
    supervisor, worker, queue = desk
    cases = [
        (supervisor, InboxFilters(), "ticket_rank_keyset"),
        (supervisor, InboxFilters(status="all"), "ticket_rank_keyset"),
        (supervisor, InboxFilters(priority="1"), "ticket_rank_keyset"),
        (supervisor, InboxFilters(status="new"), "ticket_status_rank_keyset"),
        (supervisor, InboxFilters(channel="telegram"), "ticket_channel_rank_keyset"),
        (supervisor, InboxFilters(queue=queue.slug), "ticket_queue_rank_keyset"),
        (worker, InboxFilters(mine=True), "ticket_assignee_rank_keyset"),
    ]
    # Enough rows that walking the wrong index costs more than the right one: 300 copies of
    # each of the desk's tickets.
    originals = list(Ticket.objects.all())
    columns = [f.attname for f in Ticket._meta.concrete_fields if not f.generated]
    copies = []
    for n in range(300):
        for ticket in originals:
            ticket.pk, ticket.number = None, f"C{n:03d}{ticket.contact_id:05d}"
            copies.append(Ticket(**{column: getattr(ticket, column) for column in columns}))
    Ticket.objects.bulk_create(copies, batch_size=1000)
    with connection.cursor() as cursor:
        # Statistics of this desk, not of whatever an earlier test left; and on tables this
        # small, make the planner show whether an index can deliver the order at all.
        cursor.execute("ANALYZE tickets_ticket")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
    for agent, filters, index in cases:
        with CaptureQueriesContext(connection) as captured:
            selectors.inbox_for(agent, filters, limit=2)
        pages = [q["sql"] for q in captured.captured_queries
                 if q["sql"].startswith('SELECT "tickets_ticket"."id"') and "inbox_rank" in q["sql"]]
        assert pages, filters
        for sql in pages:
            nodes = _nodes(_plan_of(sql))
            assert not [n for n in nodes if n["Node Type"] in ("Sort", "Incremental Sort")], (filters, sql)
            assert index in {n.get("Index Name") for n in nodes}, (filters, sql)
