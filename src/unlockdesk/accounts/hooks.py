"""Registries through which the account mirror tells higher layers what changed.

accounts sits below tickets, so it cannot record a ticket's timeline itself: a higher app
registers a listener in its `AppConfig.ready()`. Listeners run inside the transaction that
changed the lock, so what they write commits (or rolls back) with it; anything they send out
must wait for `transaction.on_commit`.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum


class LockChangeKind(StrEnum):
    PLACED = "placed"
    LIFTED = "lifted"


@dataclass(frozen=True)
class LockChange:
    """A lock was placed on or lifted from an account (by the exchange's feed or a service)."""

    account_id: int
    uid: str
    lock_pk: int
    reason: str
    restrictions: tuple[str, ...]
    kind: LockChangeKind
    actor: str


LockListener = Callable[[Sequence[LockChange]], object]

_lock_listeners: list[LockListener] = []


def on_lock_change(listener: LockListener) -> None:
    """Register a listener once (a second `ready()` in tests does not double it). Listeners get
    the changes of one write in order, so a bulk import costs them one call, not one per lock."""
    if listener not in _lock_listeners:
        _lock_listeners.append(listener)


def lock_changed(*changes: LockChange) -> None:
    if not changes:
        return
    for listener in list(_lock_listeners):
        listener(changes)
