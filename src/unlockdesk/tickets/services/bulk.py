"""Bulk actions on the inbox: assign, status, priority, queue or a tag on many tickets at once.

Each ticket changes through the same workflow service an agent's single click uses, so each
gets its own timeline event, plus an audit entry naming the bulk action. The tickets come from
the permission-filtered selectors: an agent who works named queues cannot reach a ticket
outside them, whether picked one by one (the whole action is refused, nothing changes) or
matched by a filter (it is never matched). Selections bigger than
UNLOCKDESK_BULK_INLINE_LIMIT run on the task queue in batches (a BulkJob).
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from unlockdesk.safety import audit
from unlockdesk.staff.models import Agent, Role
from unlockdesk.tickets import queue as task_queue
from unlockdesk.tickets import selectors, tags
from unlockdesk.tickets.exceptions import InvalidTransition, TicketAccessDenied
from unlockdesk.tickets.inbox_query import filters_from_query
from unlockdesk.tickets.models import BulkJob, BulkJobState, Priority, Queue, Status, Ticket
from unlockdesk.tickets.services.workflow import (
    assign,
    change_status,
    move_to_queue,
    set_priority,
    set_tags,
)

KINDS = ("assign", "status", "priority", "queue", "tag")
COMMIT_EVERY = 50


class BulkRefused(Exception):
    """The bulk action cannot run as asked; the message says why and nothing changed."""


@dataclass(frozen=True)
class BulkAction:
    """`kind` is one of KINDS; `value` a status, a priority (1-4), a queue's slug, a tag, or for
    assign an agent's 工号 or username ("" unassigns)."""

    kind: str
    value: str


@dataclass(frozen=True)
class BulkResult:
    changed: int
    skipped: int
    job: BulkJob | None = None


@dataclass(frozen=True)
class _Target:
    kind: str
    status: Status | None = None
    priority: Priority | None = None
    queue: Queue | None = None
    tag: str = ""
    assignee: Agent | None = None


def prepare(action: BulkAction, *, by: Agent) -> _Target:
    """Check the action and resolve its value once, before any ticket changes."""
    if not (by.is_active and by.has_role(Role.AGENT)):
        raise TicketAccessDenied
    value = action.value.strip()
    if action.kind == "status" and value in Status.values:
        return _Target(kind="status", status=Status(value))
    if action.kind == "priority" and value.isdigit() and int(value) in Priority.values:
        return _Target(kind="priority", priority=Priority(int(value)))
    if action.kind == "queue":
        found = Queue.objects.filter(slug=value).first()
        if found is not None:
            return _Target(kind="queue", queue=found)
        raise BulkRefused(_("No such queue."))
    if action.kind == "tag":
        try:
            return _Target(kind="tag", tag=tags.normalize(value))
        except tags.InvalidTag as exc:
            raise BulkRefused(_("Not a tag: letters, digits, - and _ only.")) from exc
    if action.kind == "assign":
        return _Target(kind="assign", assignee=_assignee(value, by=by))
    raise BulkRefused(_("Choose an action and a value."))


def _assignee(value: str, *, by: Agent) -> Agent | None:
    """Agents take tickets for themselves; supervisors assign anyone or unassign."""
    if value in ("", "-"):
        if not by.has_role(Role.SUPERVISOR):
            raise TicketAccessDenied
        return None
    if value in ("me", by.agent_number, by.get_username()):
        return by
    if not by.has_role(Role.SUPERVISOR):
        raise TicketAccessDenied
    found = (Agent.objects.filter(agent_number=value, is_active=True).first()
             or Agent.objects.filter(username=value, is_active=True).first())
    if found is None or not found.has_role(Role.AGENT):
        raise BulkRefused(_("No such agent."))
    return found


def apply_to_tickets(*, by: Agent, ticket_ids: list[int], action: BulkAction) -> BulkResult:
    """The action on tickets picked one by one. Refused whole (TicketAccessDenied) when any of
    them is not one `by` may see."""
    target = prepare(action, by=by)
    wanted = set(ticket_ids)
    if not wanted:
        raise BulkRefused(_("No tickets selected."))
    if len(wanted) > settings.UNLOCKDESK_BULK_INLINE_LIMIT:
        raise BulkRefused(_("Too many tickets picked; use “all matching this filter”."))
    found = list(selectors.visible_tickets(by).filter(pk__in=wanted).order_by("pk"))
    if len(found) != len(wanted):
        raise TicketAccessDenied
    return _apply_each(found, target, by=by)


def matching(*, by: Agent, query: str) -> QuerySet[Ticket]:
    """Every ticket `by` may see that the inbox filter `query` matches (search text aside: a
    bulk action works on filters, not on search hits)."""
    filters = filters_from_query(query)
    if filters.q.strip():
        raise BulkRefused(_("Search results cannot be changed by filter; tick the tickets instead."))
    return selectors.filtered_tickets(by, filters)


def count_matching(*, by: Agent, query: str) -> int:
    return matching(by=by, query=query).order_by().count()


def apply_to_filter(*, by: Agent, query: str, action: BulkAction) -> BulkResult:
    """The action on every ticket matching the filter now (up to the newest id at this moment:
    tickets arriving later are not swept in). Small selections run now; bigger ones become a
    BulkJob that the task queue works through in batches."""
    prepare(action, by=by)
    tickets = matching(by=by, query=query).order_by()
    total = tickets.count()
    if total == 0:
        raise BulkRefused(_("No tickets match this filter."))
    last_id = tickets.aggregate(last=Max("pk"))["last"] or 0
    with transaction.atomic():
        job = BulkJob.objects.create(agent=by, query=query[:1000], action=action.kind,
                                     value=action.value[:64], total=total, last_id=last_id)
        audit.record(actor=audit.actor_of(by), action="ticket.bulk_start", target=f"bulk:{job.pk}",
                     kind=action.kind, value=action.value, query=query, total=total)
    if total <= settings.UNLOCKDESK_BULK_INLINE_LIMIT:
        while run_batch(job.pk):
            pass
        job.refresh_from_db()
        return BulkResult(changed=job.changed, skipped=job.skipped, job=job)
    task_queue.run_bulk_after_commit(job.pk)
    return BulkResult(changed=0, skipped=0, job=job)


def run_batch(job_id: int) -> bool:
    """Work one batch of a job; True while more remain. Safe to run again after a crash: the
    cursor moves with each ticket's change, in the same transaction."""
    job = BulkJob.objects.select_related("agent").get(pk=job_id)
    if job.state == BulkJobState.DONE:
        return False
    agent = job.agent
    try:
        target = prepare(BulkAction(kind=job.action, value=job.value), by=agent)
        ids = list(matching(by=agent, query=job.query)
                   .filter(pk__gt=job.cursor, pk__lte=job.last_id)
                   .order_by("pk").values_list("pk", flat=True)[: settings.UNLOCKDESK_BULK_BATCH])
    except (TicketAccessDenied, BulkRefused):  # the agent lost the right since confirming
        ids = []
    # A few tickets per transaction: one commit each (cheap), row locks held only briefly, and
    # the cursor always moves with the changes it counts.
    for start in range(0, len(ids), COMMIT_EVERY):
        chunk = ids[start:start + COMMIT_EVERY]
        with transaction.atomic():
            rows = Ticket.objects.select_for_update(of=("self",)).filter(pk__in=chunk).order_by("pk")
            locked = {ticket.pk: ticket for ticket in rows}
            for pk in chunk:
                ticket = locked.get(pk)
                if ticket is not None and _apply_one(ticket, target, by=agent, job=job.pk):
                    job.changed += 1
                else:
                    job.skipped += 1
                job.cursor = pk
            job.state = BulkJobState.RUNNING
            job.save(update_fields=["cursor", "changed", "skipped", "state"])
    if len(ids) < settings.UNLOCKDESK_BULK_BATCH:
        job.state, job.finished_at = BulkJobState.DONE, timezone.now()
        job.save(update_fields=["state", "finished_at"])
        return False
    return True


def run_job(job_id: int) -> bool:
    """One batch, then the next queued after commit: what the task does."""
    more = run_batch(job_id)
    if more:
        task_queue.run_bulk_after_commit(job_id)
    return more


def _apply_each(tickets: list[Ticket], target: _Target, *, by: Agent) -> BulkResult:
    changed = skipped = 0
    for ticket in tickets:
        with transaction.atomic():
            if _apply_one(ticket, target, by=by, job=None):
                changed += 1
            else:
                skipped += 1
    return BulkResult(changed=changed, skipped=skipped)


def _apply_one(ticket: Ticket, target: _Target, *, by: Agent, job: int | None) -> bool:
    """Change one ticket (the caller's transaction); False when there was nothing to change or
    the change is not allowed for this ticket (a closed ticket cannot reopen, say)."""
    value: object
    if target.kind == "status" and target.status is not None:
        if ticket.status == target.status:
            return False
        try:
            change_status(ticket, target.status, by=by)
        except InvalidTransition:
            return False
        value = str(target.status)
    elif target.kind == "priority" and target.priority is not None:
        if ticket.priority == target.priority:
            return False
        set_priority(ticket, target.priority, by=by)
        value = int(target.priority)
    elif target.kind == "queue" and target.queue is not None:
        if ticket.queue_id == target.queue.pk:
            return False
        move_to_queue(ticket, target.queue, by=by)
        value = target.queue.slug
    elif target.kind == "tag":
        current = list(ticket.tags.values_list("name", flat=True))
        if target.tag in current:
            return False
        try:
            set_tags(ticket, [*current, target.tag], by=by)
        except tags.InvalidTag:  # already at the most tags a ticket may carry
            return False
        value = target.tag
    elif target.kind == "assign":
        new_id = target.assignee.pk if target.assignee else None
        if ticket.assignee_id == new_id:
            return False
        assign(ticket, target.assignee, by=by)
        value = target.assignee.agent_number or target.assignee.get_username() if target.assignee else ""
    else:
        return False
    audit.record(actor=audit.actor_of(by), action=f"ticket.bulk_{target.kind}",
                 target=f"ticket:{ticket.number}", value=value, job=job)
    return True
