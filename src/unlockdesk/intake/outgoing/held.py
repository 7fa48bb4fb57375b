"""The active subscriptions, held by this process for a moment.

Every stored message publishes an event, and reading the subscriptions for each was one query
in twelve of a chat message. enqueue() runs after commit, outside any transaction: there the
list read at most FRESH_S ago serves. Inside a transaction (whose writes may still roll back)
it is read afresh. A change saved in this process is seen at once (forget() on save and
delete); another process sees it within FRESH_S.
"""

from time import monotonic

from django.db import connection

from unlockdesk.intake.outgoing.models import Subscription

FRESH_S = 2.0
_held: tuple[float, list[Subscription]] | None = None


def active_subscriptions() -> list[Subscription]:
    global _held
    if connection.in_atomic_block:
        return list(Subscription.objects.filter(active=True))
    now = monotonic()
    if _held is None or now - _held[0] >= FRESH_S:
        _held = (now, list(Subscription.objects.filter(active=True)))
    return _held[1]


def forget(**_signal: object) -> None:
    """Drop the held list (a subscription was saved or deleted here; a test's data is gone)."""
    global _held
    _held = None
