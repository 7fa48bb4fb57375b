"""Events other systems may subscribe to (outgoing webhooks), published by any layer.

The apps that know something happened (tickets, accounts, unlock, safety) sit below or beside
the one that sends webhooks (intake), so they cannot import it: they call `publish()`, and
intake fills the listener list in its AppConfig.ready(). Listeners run only after the write
commits, so a rolled-back change never announces anything.
"""

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import TextChoices


class EventType(TextChoices):
    TICKET_CREATED = "ticket.created", "ticket.created"
    TICKET_UPDATED = "ticket.updated", "ticket.updated"
    MESSAGE_CREATED = "message.created", "message.created"
    UNLOCK_SUBMITTED = "unlock.submitted", "unlock.submitted"
    UNLOCK_DECIDED = "unlock.decided", "unlock.decided"
    FREEZE_REQUESTED = "freeze.requested", "freeze.requested"
    LOCK_CHANGED = "lock.changed", "lock.changed"


Listener = Callable[[str, dict[str, Any]], object]  # what it returns is ignored

_listeners: list[Listener] = []


def listen(listener: Listener) -> None:
    """Register a listener once (AppConfig.ready() may run more than once in tests)."""
    if listener not in _listeners:
        _listeners.append(listener)


def publish(event_type: EventType, data: dict[str, Any]) -> None:
    """Hand `data` (plain JSON values) to every listener once the current transaction commits.

    Outside a transaction it runs at once. A listener must not raise: the change it reports
    has already landed.
    """
    kind = str(event_type)

    def send() -> None:
        for listener in list(_listeners):
            listener(kind, data)

    transaction.on_commit(send)


def lock_changed(*, account_uid: str, lock_id: int, reason: str, restrictions: list[str],
                 active: bool, actor: str) -> None:
    """`lock.changed` in one shape for every place a lock is placed or lifted (the exchange's
    event feed, the gateway, a reviewer's unlock): call it inside the write's transaction."""
    publish(EventType.LOCK_CHANGED, {
        "account_uid": account_uid, "lock": lock_id, "reason": reason,
        "restrictions": list(restrictions), "active": active, "actor": actor,
    })
