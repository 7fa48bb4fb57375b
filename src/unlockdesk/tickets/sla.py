"""SLA policies: which targets apply to a ticket, in which business hours.

A policy for the ticket's priority and queue wins over the default for the priority (queue
empty); with neither, DEFAULT_MINUTES apply around the clock.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q

from unlockdesk.prepared import PreparedRead
from unlockdesk.tickets import business_hours
from unlockdesk.tickets.models import BreachAction, Priority, SlaPolicy, SlaTargetKind

DEFAULT_MINUTES: dict[int, tuple[int, int]] = {
    Priority.URGENT: (15, 4 * 60),
    Priority.HIGH: (60, 24 * 60),
    Priority.NORMAL: (4 * 60, 72 * 60),
    Priority.LOW: (24 * 60, 7 * 24 * 60),
}
DEFAULT_WARN_PERCENT = 80


@dataclass(frozen=True)
class Terms:
    """The targets in force for one ticket."""

    policy: SlaPolicy | None
    calendar: business_hours.Calendar
    first_response_minutes: int
    next_response_minutes: int
    resolution_minutes: int
    warn_percent: int
    breach_action: str

    def minutes(self, kind: str) -> int:
        return {
            SlaTargetKind.FIRST_RESPONSE: self.first_response_minutes,
            SlaTargetKind.NEXT_RESPONSE: self.next_response_minutes,
            SlaTargetKind.RESOLUTION: self.resolution_minutes,
        }[SlaTargetKind(kind)]


# Read for every new ticket and every reopened clock: compiled once (unlockdesk.prepared).
_POLICIES = PreparedRead(
    lambda priority, queue_id: SlaPolicy.objects.filter(
        Q(queue__isnull=True) | Q(queue=queue_id), priority=priority).select_related("calendar"),
    int, int)
_DEFAULT_POLICIES = PreparedRead(
    lambda priority: SlaPolicy.objects.filter(queue__isnull=True, priority=priority)
    .select_related("calendar"),
    int)


def policy_for(priority: int, queue_id: int | None) -> SlaPolicy | None:
    """The queue's own policy for the priority, else the default one; one query."""
    rows = _POLICIES(int(priority), queue_id) if queue_id else _DEFAULT_POLICIES(int(priority))
    return next((p for p in rows if p.queue_id is not None), rows[0] if rows else None)


def terms_for(priority: int, queue_id: int | None = None) -> Terms:
    policy = policy_for(priority, queue_id)
    if policy is None:
        first, resolve = DEFAULT_MINUTES[priority]
        return Terms(None, business_hours.AROUND_THE_CLOCK, first, first, resolve,
                     DEFAULT_WARN_PERCENT, BreachAction.NOTIFY)
    calendar = policy.calendar.as_calendar() if policy.calendar else business_hours.AROUND_THE_CLOCK
    return Terms(
        policy, calendar, policy.first_response_minutes,
        policy.next_response_minutes or policy.first_response_minutes,
        policy.resolution_minutes, policy.warn_percent, policy.breach_action,
    )


def due_times(priority: int, start: datetime, queue_id: int | None = None) -> tuple[datetime, datetime]:
    """(first response due, resolution due) for a ticket opened at `start`, in business hours."""
    terms = terms_for(priority, queue_id)
    return (
        business_hours.add_business_time(terms.calendar, start,
                                         timedelta(minutes=terms.first_response_minutes)),
        business_hours.add_business_time(terms.calendar, start,
                                         timedelta(minutes=terms.resolution_minutes)),
    )
