"""Applying the exchange's events to the account mirror: the one path for pushes, imports,
reconciliation and demo data.

Guarantees, per event:
- an event id is applied at most once; a retried or replayed delivery reports `unchanged`;
- each object (account by UID, lock by `lock_id`, transaction by UID + `tx_id`) keeps the
  newest `version` it has seen: an older or equal version reports `unchanged` and writes
  nothing, so events may arrive in any order;
- a refused event (see `events.Refusal`) stores nothing, not even its id;
- events of one batch are applied one by one, each in its own savepoint: one bad item never
  undoes or blocks the others, and every item gets its own result.
A lock that becomes active or lifted is announced through `hooks.lock_changed` inside the
transaction, so the timeline entries of open tickets commit with it.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db import IntegrityError, transaction

from unlockdesk.accounts.events import (
    AccountEvent,
    EventRefused,
    ExchangeEvent,
    LockEvent,
    Refusal,
    TransactionEvent,
    parse_event,
)
from unlockdesk.accounts.hooks import LockChangeKind, lock_changed
from unlockdesk.accounts.models import AccountLock, ExchangeAccount, FeedEvent, Transaction
from unlockdesk.accounts.services import change_of, kyc_columns

FEED_ACTOR = "system:exchange"


class Outcome(StrEnum):
    STORED = "stored"
    UNCHANGED = "unchanged"
    REFUSED = "refused"


@dataclass(frozen=True)
class ItemResult:
    """The result of one event; `reason` says why it was unchanged or refused."""

    index: int
    event_id: str
    outcome: Outcome
    reason: str = ""
    field: str = ""

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"index": self.index, "id": self.event_id, "result": str(self.outcome)}
        if self.reason:
            out["reason"] = self.reason
        if self.field:
            out["field"] = self.field
        return out


def apply_events(raw_events: Iterable[Any]) -> list[ItemResult]:
    """Apply decoded JSON events in order, each on its own (see the module's guarantees)."""
    with transaction.atomic():
        return [apply_event(raw, index=i) for i, raw in enumerate(raw_events)]


def apply_event(raw: Any, *, index: int = 0) -> ItemResult:
    """Apply one decoded JSON event atomically; never raises for bad input."""
    event_id = raw.get("id") if isinstance(raw, dict) else None
    label = event_id if isinstance(event_id, str) else ""
    try:
        event = parse_event(raw)
    except EventRefused as exc:
        return ItemResult(index, label, Outcome.REFUSED, str(exc.code), exc.field)
    if FeedEvent.objects.filter(event_id=event.event_id).exists():
        return ItemResult(index, event.event_id, Outcome.UNCHANGED, "duplicate")
    try:
        with transaction.atomic():
            applied = _APPLY[type(event)](event)
            FeedEvent.objects.create(event_id=event.event_id, type=_TYPE[type(event)],
                                     uid=event.uid, version=event.version, applied=applied)
    except EventRefused as exc:
        return ItemResult(index, event.event_id, Outcome.REFUSED, str(exc.code), exc.field)
    except IntegrityError:  # the same id committed by a concurrent delivery meanwhile
        return ItemResult(index, event.event_id, Outcome.UNCHANGED, "duplicate")
    if not applied:
        return ItemResult(index, event.event_id, Outcome.UNCHANGED, "stale_version")
    return ItemResult(index, event.event_id, Outcome.STORED)


def _locked_account(uid: str) -> tuple[ExchangeAccount, bool]:
    """The account row under lock; a lock or transaction may name an account the feed has not
    described yet, which then starts as a bare UID at version 0."""
    account = ExchangeAccount.objects.select_for_update().filter(uid=uid).first()
    if account is not None:
        return account, False
    return ExchangeAccount.objects.create(uid=uid), True


def _apply_account(event: ExchangeEvent) -> bool:
    assert isinstance(event, AccountEvent)
    changes: dict[str, Any] = dict(event.changes)
    kyc = kyc_columns(kyc_name=changes.pop("kyc_name", None),
                      id_number=changes.pop("id_number", None))
    account = ExchangeAccount.objects.select_for_update().filter(uid=event.uid).first()
    if account is None:
        ExchangeAccount.objects.create(uid=event.uid, feed_version=event.version, **changes, **kyc)
        return True
    if account.feed_version >= event.version:
        return False
    for field, value in {**changes, **kyc}.items():
        setattr(account, field, value)
    account.feed_version = event.version
    account.save()
    return True


def _apply_lock(event: ExchangeEvent) -> bool:
    assert isinstance(event, LockEvent)
    account, _new = _locked_account(event.uid)
    lock = AccountLock.objects.select_for_update().filter(lock_id=event.lock_id).first()
    if lock is not None and lock.account_id != account.pk:
        raise EventRefused(Refusal.BAD_FIELD, "lock_id")  # one lock never moves between accounts
    if lock is not None and lock.feed_version >= event.version:
        return False
    was_active = lock is not None and lock.is_active
    lock = lock or AccountLock(account=account, lock_id=event.lock_id, locked_by=FEED_ACTOR)
    lock.reason = event.reason
    lock.restrictions = [str(r) for r in event.restrictions]
    lock.since = event.since
    lock.auto_lift_at = event.auto_lift_at
    lock.lifted_at = event.lifted_at
    lock.lifted_by = FEED_ACTOR if event.lifted_at else ""
    lock.note = event.note
    lock.feed_version = event.version
    lock.save()
    lock.account = account
    if lock.is_active and not was_active:
        lock_changed(change_of(lock, LockChangeKind.PLACED, FEED_ACTOR))
    elif was_active and not lock.is_active:
        lock_changed(change_of(lock, LockChangeKind.LIFTED, FEED_ACTOR))
    return True


def _apply_transaction(event: ExchangeEvent) -> bool:
    assert isinstance(event, TransactionEvent)
    account, _new = _locked_account(event.uid)
    row = Transaction.objects.filter(account=account, tx_id=event.tx_id).first()
    if row is not None and row.feed_version >= event.version:
        return False
    row = row or Transaction(account=account, tx_id=event.tx_id)
    row.tx_hash = event.tx_hash
    row.occurred_at = event.occurred_at
    row.kind = event.kind
    row.asset = event.asset
    row.amount = event.amount
    row.counterparty = event.counterparty
    row.feed_version = event.version
    row.save()
    return True


_APPLY = {AccountEvent: _apply_account, LockEvent: _apply_lock,
          TransactionEvent: _apply_transaction}
_TYPE = {AccountEvent: "account", LockEvent: "lock", TransactionEvent: "transaction"}


def summary(results: Iterable[ItemResult]) -> dict[str, int]:
    counts = {str(outcome): 0 for outcome in Outcome}
    for result in results:
        counts[str(result.outcome)] += 1
    return counts
