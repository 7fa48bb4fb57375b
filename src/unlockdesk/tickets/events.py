"""The ticket timeline and live announcements to the console, sent only after commit."""

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import transaction

from unlockdesk import integration_events
from unlockdesk.integration_events import EventType
from unlockdesk.prepared import PreparedInsert
from unlockdesk.tickets import hooks, live
from unlockdesk.tickets.models import EventKind, Message, Ticket, TicketEvent

log = logging.getLogger(__name__)

CONSOLE_GROUP = "console"

# Console announcements that other systems hear as `ticket.updated` (outgoing webhooks).
_UPDATES = {"status", "assigned", "priority", "queue"}


def ticket_group(ticket_id: int) -> str:
    return f"ticket.{ticket_id}"


_INSERT_EVENT = PreparedInsert(TicketEvent)  # one or more with every stored message

# The events recorded inside gathered(), not yet written; None outside it.
_gathering: ContextVar[list[dict[str, Any]] | None] = ContextVar("gathering_events", default=None)


def record_event(ticket: Ticket, kind: EventKind, *, actor: str, **data: Any) -> TicketEvent | None:
    """Add an entry to the ticket's timeline; inside gathered(), when that block ends (None
    is returned then: the entry has no id yet)."""
    row = {"ticket": ticket, "kind": kind, "actor": actor, "data": data}
    pending = _gathering.get()
    if pending is not None:
        pending.append(row)
        return None
    return _INSERT_EVENT(**_with_ids(row))


def gathering() -> bool:
    """Whether entries recorded now are written as the gathered() block ends."""
    return _gathering.get() is not None


def _with_ids(row: dict[str, Any]) -> dict[str, Any]:
    """The entry as stored: a message it names by the object (one inserted with the others of
    its batch, tickets.services.message_rows) by its id, known by now."""
    named = [value for value in row["data"].values() if isinstance(value, Message)]
    if not named:
        return row
    if any(message.pk is None for message in named):
        raise RuntimeError("a timeline entry names a message that was never inserted")
    return {**row, "data": {k: v.pk if isinstance(v, Message) else v for k, v in row["data"].items()}}


@contextmanager
def gathered() -> Iterator[None]:
    """Write the events recorded in the block with one INSERT as it ends (call it inside the
    transaction): a new ticket's entries (created, the message, the acknowledgement) cost one
    statement, not three. Nothing is written if the block raises; nested, the outer one writes."""
    if _gathering.get() is not None:
        yield
        return
    pending: list[dict[str, Any]] = []
    token = _gathering.set(pending)
    try:
        yield
    finally:
        _gathering.reset(token)
    _INSERT_EVENT.many([_with_ids(row) for row in pending])


def announce(ticket: Ticket, kind: str, *, messages: Sequence[Message] = (), **data: Any) -> None:
    """Tell open consoles (and the ticket's live viewers) once the write has committed.

    `messages`: the messages this write appended, in order. Their live frames (built by the
    registered hook, see hooks.register_live_frames) ride along to the ticket's group, so a
    socket that is up to date shows them without reading the database.
    """
    # `seq` (the ticket's newest message number) lets live viewers skip what they already show.
    payload = {"type": "ticket.event", "kind": kind, "ticket": ticket.number, "id": ticket.pk,
               "seq": ticket.last_seq, **data}

    def send() -> None:
        frames = [built for built in (hooks.live_frames(m) for m in messages) if built is not None]
        viewers = {**payload, "frames": frames} if frames else payload
        live.send([(CONSOLE_GROUP, payload), (ticket_group(ticket.pk), viewers)])

    transaction.on_commit(send)
    if kind in _UPDATES:
        publish_ticket(ticket, EventType.TICKET_UPDATED, change=kind)


def ticket_summary(ticket: Ticket) -> dict[str, Any]:
    """What an outgoing webhook says about a ticket: no customer PII, the number to fetch more."""
    return {
        "number": ticket.number, "status": ticket.status, "priority": int(ticket.priority),
        "category": ticket.category, "channel": ticket.channel,
        "queue": ticket.queue.slug if ticket.queue_id and ticket.queue else None,
        "assignee": ticket.assignee.agent_number if ticket.assignee_id and ticket.assignee else None,
        "account_uid": ticket.account.uid if ticket.account_id and ticket.account else None,
    }


def publish_ticket(ticket: Ticket, event: EventType, **extra: Any) -> None:
    """`ticket.created` / `ticket.updated` for other systems, after commit."""
    integration_events.publish(event, {"ticket": ticket_summary(ticket), **extra})


def publish_message(message: Message) -> None:
    """`message.created` for other systems, after commit (text included: the subscriber is
    a system of the exchange that could read it through the API with `tickets:read`)."""
    integration_events.publish(EventType.MESSAGE_CREATED, {
        "ticket": message.ticket.number,
        "message": {"seq": message.seq, "direction": message.direction, "channel": message.channel,
                    "text": message.body_text, "created_at": message.created_at.isoformat()},
    })
