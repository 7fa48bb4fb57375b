"""Rows a batch of inbound items will need, read in one statement each before the batch.

Chat's group commit stores up to UNLOCKDESK_CHAT_BATCH customers' messages (20 by default) in
one transaction; each of them read its sender's identity and its ticket by number, two round
trips per message on PostgreSQL that kept the sockets' database thread waiting. Inside
`read_ahead(...)` those two reads are answered from rows read for the whole batch:
identities in one SELECT, tickets in one SELECT ... FOR UPDATE in id order (the order the
batch locks them in anyway, so two processes' batches still cannot deadlock). Anything not
read ahead is read as before.

Only for use inside the transaction the items are stored in: the rows are locked (or, on
SQLite, the database is held) until it ends, and the objects handed out are the same ones
every item of the batch changes, as a second read of a changed row would show it.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.db import connection

from unlockdesk.prepared import PreparedListRead
from unlockdesk.tickets.models import ContactIdentity, Ticket
from unlockdesk.tickets.types import SenderIdentity

# Compiled once per batch size (unlockdesk.prepared): building the two querysets' SQL for
# every batch was half the database thread's time for a batch of one message (py-spy).
# Longer lists than a batch holds go through the ORM.
_IDENTITIES = PreparedListRead(
    lambda kind, values: ContactIdentity.objects.select_related("contact")
    .filter(kind=kind, value__in=values).order_by(),
    str, most=32)
_TICKETS = PreparedListRead(
    lambda values: Ticket.objects.select_for_update().filter(number__in=values).order_by("pk"),
    most=32)


@dataclass
class _Rows:
    identities: dict[tuple[str, str], ContactIdentity] = field(default_factory=dict)
    tickets: dict[str, Ticket] = field(default_factory=dict)


_current: ContextVar[_Rows | None] = ContextVar("read_ahead", default=None)


@contextmanager
def read_ahead(senders: Iterable[SenderIdentity], ticket_numbers: Iterable[str]) -> Iterator[None]:
    """Read the senders' identities (with their contacts) and the numbered tickets, the
    tickets FOR UPDATE; within the block, identity() and ticket() answer from them."""
    if not connection.in_atomic_block:
        raise RuntimeError("read_ahead belongs inside the transaction that stores the batch")
    keys = {(str(sender.kind), sender.value) for sender in senders}
    numbers = sorted({number for number in ticket_numbers if number})
    rows = _Rows()
    if keys:
        values_by_kind: dict[str, list[str]] = {}
        for kind, value in keys:
            values_by_kind.setdefault(kind, []).append(value)
        for kind, values in values_by_kind.items():
            for found in _IDENTITIES(kind, values=sorted(values)):
                rows.identities[(found.kind, found.value)] = found
    for ticket in _TICKETS(values=numbers):
        rows.tickets[ticket.number] = ticket
    token = _current.set(rows)
    try:
        yield
    finally:
        _current.reset(token)


def identity(kind: str, value: str) -> ContactIdentity | None:
    """The identity read ahead for (kind, value), or None: not read ahead, read it."""
    rows = _current.get()
    return rows.identities.get((kind, value)) if rows else None


def ticket(number: str) -> Ticket | None:
    """The ticket read ahead (and locked) for `number`, or None: not read ahead, read it."""
    rows = _current.get()
    return rows.tickets.get(number) if rows else None
