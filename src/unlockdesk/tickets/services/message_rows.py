"""Where a stored message's row is inserted: at once, or, inside messages_gathered(), together
with the block's other messages in one INSERT as the block ends.

Chat's group commit stores a batch of customers' messages in one transaction; one INSERT per
message was a statement (a round trip on PostgreSQL, and psycopg building it) each, the
largest part of the sockets' database thread under load. A message is deferred only when its
caller asks and nothing needs its id before the block ends: its timeline entry names it by
the object (tickets.events.gathered writes the id once it is known). A message inserted at
once first inserts the deferred ones, so ids keep the order the messages were numbered in.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from unlockdesk.prepared import PreparedInsert
from unlockdesk.tickets.models import Message

_INSERT_MESSAGE = PreparedInsert(Message)  # every stored message

# The messages deferred inside messages_gathered(), not yet inserted; None outside it.
_pending: ContextVar[list[Message] | None] = ContextVar("gathering_messages", default=None)


@contextmanager
def messages_gathered() -> Iterator[None]:
    """Insert the deferred messages of the block with one INSERT as it ends; inside the
    transaction and inside tickets.events.gathered(), whose entries name them. Nothing is
    inserted if the block raises (a duplicate's IntegrityError comes as it ends)."""
    if _pending.get() is not None:
        yield
        return
    pending: list[Message] = []
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    _insert_pending(pending)


def insert(*, defer: bool = False, **fields: Any) -> Message:
    """A new message row; unsaved until its block ends when `defer` and messages are gathered."""
    pending = _pending.get()
    if defer and pending is not None:
        message = Message(**fields)
        pending.append(message)
        return message
    if pending:
        _insert_pending(pending)
    return _INSERT_MESSAGE(**fields)


def _insert_pending(pending: list[Message]) -> None:
    """The deferred messages, in one INSERT in the order they were numbered; none left."""
    _INSERT_MESSAGE.insert(pending[:])
    pending.clear()
