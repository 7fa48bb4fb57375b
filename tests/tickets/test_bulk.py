"""Bulk actions: each ticket through the workflow (timeline + audit), permissions from the
selectors, big selections in batches on the task queue."""

import pytest

from tests.factories import make_agent, receive_one
from unlockdesk.safety.models import AuditEntry
from unlockdesk.staff.models import Agent, Role
from unlockdesk.tickets.exceptions import TicketAccessDenied
from unlockdesk.tickets.models import BulkJob, EventKind, Queue, Status, Ticket
from unlockdesk.tickets.queue import RUN_BULK_JOB
from unlockdesk.tickets.services import change_status, move_to_queue
from unlockdesk.tickets.services.bulk import (
    BulkAction,
    BulkRefused,
    apply_to_filter,
    apply_to_tickets,
)

pytestmark = pytest.mark.django_db


def _tickets(n: int, queue: Queue | None = None) -> list[Ticket]:
    out = []
    for i in range(n):
        ticket = Ticket.objects.get(pk=receive_one(sender=f"bulk{i}-{queue and queue.slug}@example.com",
                                                   text="提现一直没有到账").ticket_id)
        if queue is not None:
            ticket = move_to_queue(ticket, queue, by=None)
        out.append(ticket)
    return out


def test_bulk_status_change_puts_an_event_and_an_audit_entry_on_each_ticket(agent: Agent) -> None:
    tickets = _tickets(3)
    result = apply_to_tickets(by=agent, ticket_ids=[t.pk for t in tickets],
                              action=BulkAction("status", Status.WAITING_CUSTOMER))
    assert (result.changed, result.skipped) == (3, 0)
    for ticket in tickets:
        ticket.refresh_from_db()
        assert ticket.status == Status.WAITING_CUSTOMER
        assert ticket.events.filter(kind=EventKind.STATUS, data__new=Status.WAITING_CUSTOMER).count() == 1
        audit = AuditEntry.objects.filter(action="ticket.bulk_status", target=f"ticket:{ticket.number}")
        assert audit.count() == 1


def test_tickets_that_cannot_change_are_skipped_not_failed(agent: Agent) -> None:
    open_one, closed = _tickets(2)
    change_status(closed, Status.CLOSED, by=agent)
    result = apply_to_tickets(by=agent, ticket_ids=[open_one.pk, closed.pk],
                              action=BulkAction("status", Status.OPEN))
    assert (result.changed, result.skipped) == (1, 1)
    closed.refresh_from_db()
    assert closed.status == Status.CLOSED
    assert not AuditEntry.objects.filter(target=f"ticket:{closed.number}").exists()


def test_agent_cannot_bulk_act_outside_their_queues() -> None:
    mine = Queue.objects.create(slug="mine", name="Mine")
    other = Queue.objects.create(slug="other", name="Other")
    agent = make_agent()
    mine.agents.add(agent)
    inside, outside = _tickets(1, mine)[0], _tickets(1, other)[0]
    with pytest.raises(TicketAccessDenied):
        apply_to_tickets(by=agent, ticket_ids=[inside.pk, outside.pk], action=BulkAction("priority", "1"))
    inside.refresh_from_db()
    assert inside.priority != 1  # refused whole: nothing changed
    result = apply_to_filter(by=agent, query="status=all", action=BulkAction("tag", "incident-7"))
    assert result.changed == 1
    assert list(outside.tags.all()) == []
    assert [t.name for t in inside.tags.all()] == ["incident-7"]


def test_supervisor_acts_on_every_queue_and_assigns_others(supervisor: Agent) -> None:
    queue = Queue.objects.create(slug="vip", name="VIP")
    colleague = make_agent(agent_number="A9001")
    queue.agents.add(colleague)
    tickets = _tickets(2, queue)
    result = apply_to_tickets(by=supervisor, ticket_ids=[t.pk for t in tickets],
                              action=BulkAction("assign", "A9001"))
    assert result.changed == 2
    assert {t.assignee_id for t in Ticket.objects.filter(pk__in=[t.pk for t in tickets])} == {colleague.pk}


def test_agents_may_only_take_tickets_for_themselves(agent: Agent) -> None:
    ticket = _tickets(1)[0]
    with pytest.raises(TicketAccessDenied):
        apply_to_tickets(by=agent, ticket_ids=[ticket.pk], action=BulkAction("assign", "-"))
    apply_to_tickets(by=agent, ticket_ids=[ticket.pk], action=BulkAction("assign", "me"))
    ticket.refresh_from_db()
    assert ticket.assignee_id == agent.pk


@pytest.mark.parametrize("action", [BulkAction("status", "gone"), BulkAction("priority", "9"),
                                    BulkAction("queue", "nowhere"), BulkAction("tag", "<b>"),
                                    BulkAction("explode", "1")])
def test_a_bad_action_is_refused_before_anything_changes(agent: Agent, action: BulkAction) -> None:
    ticket = _tickets(1)[0]
    with pytest.raises(BulkRefused):
        apply_to_tickets(by=agent, ticket_ids=[ticket.pk], action=action)
    assert not AuditEntry.objects.filter(action__startswith="ticket.bulk").exists()


def test_big_selections_run_on_the_task_queue_in_batches(
        agent: Agent, settings, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    settings.UNLOCKDESK_BULK_INLINE_LIMIT = 2
    settings.UNLOCKDESK_BULK_BATCH = 2
    tickets = _tickets(5)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        result = apply_to_filter(by=agent, query="", action=BulkAction("priority", "1"))
    assert result.job is not None and result.changed == 0  # nothing done in the request
    assert len(queued) == 1
    with django_capture_on_commit_callbacks(execute=True) as batches:
        queued[0]()  # the worker picks the job up; each batch queues the next (eager tasks)
    next_batches = [c for c in batches if getattr(c, "args", ())[:1] == (RUN_BULK_JOB,)]
    assert len(next_batches) == 2  # 5 tickets in batches of 2: the 2nd and 3rd batch were queued
    job = BulkJob.objects.get(pk=result.job.pk)
    assert (job.state, job.total, job.changed, job.cursor) == ("done", 5, 5, max(t.pk for t in tickets))
    assert Ticket.objects.filter(priority=1).count() == 5
    assert AuditEntry.objects.filter(action="ticket.bulk_priority").count() == 5


def test_tickets_arriving_after_confirmation_are_not_swept_in(agent: Agent) -> None:
    _tickets(2)
    result = apply_to_filter(by=agent, query="", action=BulkAction("tag", "before"))
    assert result.changed == 2
    late = _tickets(1)[0]
    assert not late.tags.exists()


def test_a_role_without_agent_rights_cannot_bulk_act() -> None:
    reviewer_only = make_agent(role=Role.AGENT)
    reviewer_only.is_active = False
    with pytest.raises(TicketAccessDenied):
        apply_to_tickets(by=reviewer_only, ticket_ids=[1], action=BulkAction("priority", "1"))


def test_search_text_cannot_select_all_by_filter(agent: Agent) -> None:
    _tickets(1)
    with pytest.raises(BulkRefused):
        apply_to_filter(by=agent, query="q=提现", action=BulkAction("priority", "1"))
    assert not BulkJob.objects.exists()
