"""Lock changes on the exchange reach the tickets of that account.

Registered with `accounts.hooks.on_lock_change` in `TicketsConfig.ready()`: accounts sits
below tickets and cannot call here directly. Runs inside the transaction that changed the
lock, so the timeline entry and the lock commit together; consoles hear of it after commit.
"""

from unlockdesk.accounts.hooks import LockChange, LockChangeKind
from unlockdesk.tickets.events import announce, record_event
from unlockdesk.tickets.models import EventKind, Status, Ticket

FINISHED = (Status.RESOLVED, Status.CLOSED)


def record_lock_change(change: LockChange) -> int:
    """Put the change on the timeline of every open ticket of the account; returns how many."""
    kind = EventKind.LOCK_PLACED if change.kind == LockChangeKind.PLACED else EventKind.LOCK_LIFTED
    tickets = list(Ticket.objects.filter(account_id=change.account_id)
                   .exclude(status__in=FINISHED).order_by("pk"))
    for ticket in tickets:
        record_event(ticket, kind, actor=change.actor, new=change.reason,
                     restrictions=list(change.restrictions), lock=change.lock_pk)
        announce(ticket, "lock", change=str(change.kind), reason=change.reason,
                 restrictions=list(change.restrictions))
    return len(tickets)
