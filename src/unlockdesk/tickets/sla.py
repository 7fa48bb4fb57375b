"""SLA clocks: due times from the priority's policy (wall-clock minutes, around the clock)."""

from datetime import datetime, timedelta

from unlockdesk.tickets.models import Priority, SlaPolicy

DEFAULT_MINUTES: dict[int, tuple[int, int]] = {
    Priority.URGENT: (15, 4 * 60),
    Priority.HIGH: (60, 24 * 60),
    Priority.NORMAL: (4 * 60, 72 * 60),
    Priority.LOW: (24 * 60, 7 * 24 * 60),
}


def due_times(priority: int, start: datetime) -> tuple[datetime, datetime]:
    """(first response due, resolution due) for a ticket opened at `start`."""
    policy = SlaPolicy.objects.filter(priority=priority).first()
    first, resolve = (
        (policy.first_response_minutes, policy.resolution_minutes)
        if policy
        else DEFAULT_MINUTES[priority]
    )
    return start + timedelta(minutes=first), start + timedelta(minutes=resolve)
