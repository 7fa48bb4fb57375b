"""The agent workflow: status machine, assignment, priority, queue. Each change is on the
timeline and announced to open consoles."""

import logging
from collections.abc import Callable, Iterable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import ngettext, override

from unlockdesk.safety.audit import actor_of
from unlockdesk.staff.models import Agent
from unlockdesk.tickets import hooks, tags
from unlockdesk.tickets.events import announce, record_event
from unlockdesk.tickets.exceptions import InvalidTransition
from unlockdesk.tickets.models import EventKind, Priority, Queue, Status, Tag, Ticket
from unlockdesk.tickets.queue import route_waiting_after_commit
from unlockdesk.tickets.services import assignment, sla_clock
from unlockdesk.tickets.services.auto_messages import notify_customer

logger = logging.getLogger(__name__)

TRANSITIONS: dict[str, set[str]] = {
    Status.NEW: {Status.OPEN, Status.WAITING_CUSTOMER, Status.WAITING_US, Status.RESOLVED,
                 Status.CLOSED},
    Status.OPEN: {Status.WAITING_CUSTOMER, Status.WAITING_US, Status.RESOLVED, Status.CLOSED},
    Status.WAITING_CUSTOMER: {Status.OPEN, Status.WAITING_US, Status.RESOLVED, Status.CLOSED},
    Status.WAITING_US: {Status.OPEN, Status.WAITING_CUSTOMER, Status.RESOLVED, Status.CLOSED},
    Status.RESOLVED: {Status.OPEN, Status.CLOSED},
    Status.CLOSED: set(),
}


def change_status(ticket: Ticket, to: Status, *, by: Agent | None) -> Ticket:
    """Move along the status machine; a closed ticket stays closed (new mail opens a new one)."""
    with transaction.atomic():
        locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
        if to == locked.status:
            return locked
        if to not in TRANSITIONS[locked.status]:
            raise InvalidTransition(f"{locked.status} -> {to}")
        record_event(locked, EventKind.STATUS, actor=actor_of(by), old=locked.status, new=to)
        old, now = locked.status, timezone.now()
        locked.status = to
        locked.resolved_at = now if to in (Status.RESOLVED, Status.CLOSED) else None
        locked.updated_at = now
        locked.save(update_fields=["status", "resolved_at", "updated_at"])
        sla_clock.status_changed(locked, old=old, new=to, now=now)
        if locked.assignee_id and to in (Status.RESOLVED, Status.CLOSED):
            route_waiting_after_commit()  # the assignee has a free place
    announce(locked, "status", status=to)
    if to == Status.RESOLVED:
        _tell_resolved_listeners(locked)
    return locked


def _tell_resolved_listeners(ticket: Ticket) -> None:
    """Run the apps above that act on a resolve (the satisfaction survey). The resolve stands
    whatever they do: a listener that fails is logged, never undoes the agent's action."""
    for listener in hooks.resolved_listeners():
        try:
            with transaction.atomic():
                listener(ticket.pk)
        except Exception:
            logger.exception("resolved listener %r failed for ticket %s", listener, ticket.number)


def assign(ticket: Ticket, agent: Agent | None, *, by: Agent | None) -> Ticket:
    """Set (or clear) the assignee with no permission check, for callers that checked already
    (the API's scope, the chat's hand-over); the console uses services.assignment."""
    with transaction.atomic():
        locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
        old = locked.assignee_id
        if old == (agent.pk if agent else None):
            return locked
        assignment.change_assignee(locked, agent, actor=actor_of(by))
    if old is not None:
        route_waiting_after_commit()  # the old assignee has a free place
    return locked


def set_priority(ticket: Ticket, priority: Priority, *, by: Agent | None) -> Ticket:
    with transaction.atomic():
        locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
        record_event(locked, EventKind.PRIORITY, actor=actor_of(by), old=locked.priority,
                     new=int(priority))
        locked.priority = priority
        locked.save(update_fields=["priority"])
        sla_clock.terms_changed(locked, now=timezone.now())
    announce(locked, "priority")
    return locked


def set_tags(ticket: Ticket, names: Iterable[str], *, by: Agent | None) -> Ticket:
    """Make the ticket's tags exactly `names` (normalised by tickets.tags; InvalidTag otherwise,
    and nothing changes). What was added and removed goes on the timeline; no change, no event."""
    wanted = tags.normalize_all(names)
    with transaction.atomic():
        locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
        current = set(locked.tags.values_list("name", flat=True))
        if current == set(wanted):
            return locked
        locked.tags.set([Tag.objects.get_or_create(name=name)[0] for name in wanted])
        record_event(locked, EventKind.TAGS, actor=actor_of(by),
                     added=sorted(set(wanted) - current), removed=sorted(current - set(wanted)))
        locked.updated_at = timezone.now()
        locked.save(update_fields=["updated_at"])
    announce(locked, "tags")
    return locked


def move_to_queue(ticket: Ticket, queue: Queue, *, by: Agent | None) -> Ticket:
    with transaction.atomic():
        locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
        locked.queue = queue
        locked.save(update_fields=["queue"])
        sla_clock.terms_changed(locked, now=timezone.now())
        record_event(locked, EventKind.QUEUE, actor=actor_of(by), queue=queue.slug)
    announce(locked, "queue")
    return locked


def close_resolved() -> int:
    """Close tickets resolved longer than UNLOCKDESK_AUTO_CLOSE_DAYS ago; returns how many.

    Without it a resolved ticket stays resolved forever and its unlock evidence is never
    purged, since retention counts from the close.
    """
    cutoff = timezone.now() - timedelta(days=settings.UNLOCKDESK_AUTO_CLOSE_DAYS)
    resolved = Ticket.objects.filter(status=Status.RESOLVED, resolved_at__lte=cutoff)
    return _each_still_matching(resolved, lambda ticket: change_status(ticket, Status.CLOSED, by=None))


def _each_still_matching(tickets: QuerySet[Ticket], act: Callable[[Ticket], object]) -> int:
    """Run `act` on each ticket of `tickets` that still matches under its row lock (a customer's
    message may have moved it since the query); returns how many."""
    count = 0
    for pk in list(tickets.values_list("pk", flat=True)):
        with transaction.atomic():
            # Only the ticket row: PostgreSQL refuses FOR UPDATE on the nullable side of a join.
            ticket = tickets.select_for_update(of=("self",)).filter(pk=pk).first()
            if ticket is not None:
                act(ticket)
                count += 1
    return count


WAITING_ON_US = ("submitted", "checking", "in_review", "approved")


def idle_notice(ticket: Ticket, days: int) -> str:
    with override(ticket.language):
        return ngettext(
            "We have not heard from you for %(days)d day, so ticket %(number)s is now resolved. "
            "If you still need help, reply to this message or quote the ticket number and we "
            "will pick it up again.",
            "We have not heard from you for %(days)d days, so ticket %(number)s is now resolved. "
            "If you still need help, reply to this message or quote the ticket number and we "
            "will pick it up again.",
            days,
        ) % {"days": days, "number": ticket.number}


def resolve_idle() -> int:
    """Resolve tickets waiting on the customer with no activity for UNLOCKDESK_AUTO_RESOLVE_DAYS
    (0: never), telling the customer how to come back; returns how many.

    Without it a case the customer walked away from waits forever, and so does the purge of
    its unlock evidence (resolved, then closed, then the retention period).
    """
    days = settings.UNLOCKDESK_AUTO_RESOLVE_DAYS
    if days <= 0:
        return 0
    idle = (Ticket.objects.filter(status=Status.WAITING_CUSTOMER,
                                  updated_at__lte=timezone.now() - timedelta(days=days))
            # An unlock application sent for checking or review waits on us, whatever the
            # ticket's last message asked (the unlock app's statuses, by name: no import).
            .exclude(unlock_application__status__in=WAITING_ON_US))

    def resolve(ticket: Ticket) -> None:
        resolved = change_status(ticket, Status.RESOLVED, by=None)
        notify_customer(resolved, idle_notice(resolved, days), topic="auto_resolved")

    return _each_still_matching(idle, resolve)
