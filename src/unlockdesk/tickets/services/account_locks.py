"""Lock changes on the exchange reach the tickets of that account.

Registered with `accounts.hooks.on_lock_change` in `TicketsConfig.ready()`: accounts sits
below tickets and cannot call here directly. Runs inside the transaction that changed the
lock, so the timeline entry and the lock commit together; consoles hear of it after commit.
"""

from collections.abc import Sequence

from unlockdesk.accounts.hooks import LockChange, LockChangeKind
from unlockdesk.tickets.events import announce, record_event
from unlockdesk.tickets.models import EventKind, Status, Ticket

FINISHED = (Status.RESOLVED, Status.CLOSED)


def record_lock_changes(changes: Sequence[LockChange]) -> int:
    """Put each change on the timeline of every open ticket of its account (one query for the
    tickets of all of them); returns how many entries were written."""
    tickets: dict[int, list[Ticket]] = {}
    for ticket in (Ticket.objects.filter(account_id__in={c.account_id for c in changes})
                   .exclude(status__in=FINISHED).order_by("pk")):
        tickets.setdefault(ticket.account_id or 0, []).append(ticket)
    written = 0
    for change in changes:
        kind = (EventKind.LOCK_PLACED if change.kind == LockChangeKind.PLACED
                else EventKind.LOCK_LIFTED)
        for ticket in tickets.get(change.account_id, []):
            record_event(ticket, kind, actor=change.actor, new=change.reason,
                         restrictions=list(change.restrictions), lock=change.lock_pk)
            announce(ticket, "lock", change=str(change.kind), reason=change.reason,
                     restrictions=list(change.restrictions))
            written += 1
    return written
