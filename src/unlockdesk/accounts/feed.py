"""Applying the exchange's events to the account mirror: the one path for pushes, imports,
reconciliation and demo data.

Guarantees, per event:
- an event id is applied at most once; a retried or replayed delivery reports `unchanged`;
- each object (account by UID, lock by `lock_id`, transaction by UID + `tx_id`) keeps the
  newest `version` it has seen: an older or equal version reports `unchanged` and writes
  nothing, so events may arrive in any order;
- a refused event (see `events.Refusal`) stores nothing, not even its id;
- the events of one batch are judged one by one, in order: one bad item never undoes or blocks
  the others, and every item gets its own result.
A batch is read with one query per table and written with bulk statements (a first load of
millions of rows is practical); if a concurrent writer created one of the same rows meanwhile,
the batch falls back to one savepoint per event, with the same results.
A lock that becomes active or lifted is announced through `hooks.lock_changed` inside the
transaction, so the timeline entries of open tickets commit with it.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TypeVar

from django.db import IntegrityError, models, transaction

from unlockdesk.accounts.events import (
    AccountEvent,
    EventRefused,
    ExchangeEvent,
    LockEvent,
    Refusal,
    TransactionEvent,
    parse_event,
)
from unlockdesk.accounts.hooks import LockChange, LockChangeKind, lock_changed
from unlockdesk.accounts.models import AccountLock, ExchangeAccount, FeedEvent, Transaction
from unlockdesk.accounts.services import kyc_columns

FEED_ACTOR = "system:exchange"
ACCOUNT_FIELDS = ["email", "phone", "kyc_name", "kyc_name_hash", "kyc_name_masked", "id_number",
                  "id_number_hash", "id_number_masked", "anti_phishing_code", "balance_usd",
                  "language", "time_zone", "feed_version"]
LOCK_FIELDS = ["reason", "restrictions", "since", "auto_lift_at", "lifted_at", "lifted_by", "note",
               "feed_version"]
TRANSACTION_FIELDS = ["tx_hash", "occurred_at", "kind", "asset", "amount", "counterparty",
                      "feed_version"]

Row = TypeVar("Row", bound=models.Model)


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
    """Apply decoded JSON events in order (see the module's guarantees); never raises for bad
    input. Atomic as a whole: the caller's transaction, or its own."""
    raws = list(raw_events)
    with transaction.atomic():
        try:
            with transaction.atomic():
                return _Batch(raws).apply()
        except IntegrityError:
            pass  # a concurrent delivery wrote one of these rows first: go one by one
        return [apply_event(raw, index=i) for i, raw in enumerate(raws)]


def apply_event(raw: Any, *, index: int = 0) -> ItemResult:
    """Apply one decoded JSON event in its own savepoint."""
    for _attempt in range(3):
        try:
            with transaction.atomic():
                result = _Batch([raw]).apply()[0]
            return ItemResult(index, result.event_id, result.outcome, result.reason, result.field)
        except IntegrityError:
            continue  # the same id or object committed by a concurrent delivery: judge again
    return ItemResult(index, _label(raw), Outcome.UNCHANGED, "duplicate")


def _label(raw: Any) -> str:
    event_id = raw.get("id") if isinstance(raw, dict) else None
    return event_id if isinstance(event_id, str) else ""


@dataclass
class _Batch:
    """One batch judged in memory against the rows it touches, then written in bulk."""

    raws: list[Any]
    accounts: dict[str, ExchangeAccount] = field(default_factory=dict)
    locks: dict[str, AccountLock] = field(default_factory=dict)
    transactions: dict[tuple[str, str], Transaction] = field(default_factory=dict)
    new: set[int] = field(default_factory=set)  # id() of rows to insert
    dirty: set[int] = field(default_factory=set)  # id() of existing rows to update
    changes: list[tuple[AccountLock, LockChangeKind]] = field(default_factory=list)

    def apply(self) -> list[ItemResult]:
        results: list[ItemResult] = []
        parsed: list[tuple[int, ExchangeEvent]] = []
        for index, raw in enumerate(self.raws):
            try:
                parsed.append((index, parse_event(raw)))
            except EventRefused as exc:
                results.append(ItemResult(index, _label(raw), Outcome.REFUSED, str(exc.code),
                                          exc.field))
        events = [event for _index, event in parsed]
        self._load(events)
        known = set(FeedEvent.objects.filter(event_id__in=[e.event_id for e in events])
                    .values_list("event_id", flat=True))
        stored: list[FeedEvent] = []
        for index, event in parsed:
            if event.event_id in known:
                results.append(ItemResult(index, event.event_id, Outcome.UNCHANGED, "duplicate"))
                continue
            try:
                applied = self._judge(event)
            except EventRefused as exc:
                results.append(ItemResult(index, event.event_id, Outcome.REFUSED, str(exc.code),
                                          exc.field))
                continue
            known.add(event.event_id)
            stored.append(FeedEvent(event_id=event.event_id, type=_TYPE[type(event)],
                                    uid=event.uid, version=event.version, applied=applied))
            results.append(ItemResult(index, event.event_id,
                                      Outcome.STORED if applied else Outcome.UNCHANGED,
                                      "" if applied else "stale_version"))
        self._write()
        FeedEvent.objects.bulk_create(stored)
        lock_changed(*[_change(lock, kind) for lock, kind in self.changes])
        return sorted(results, key=lambda r: r.index)

    def _load(self, events: list[ExchangeEvent]) -> None:
        """Every row the batch may touch, under lock, one query per table."""
        uids = {e.uid for e in events}
        self.accounts = {a.uid: a for a in
                         ExchangeAccount.objects.select_for_update().filter(uid__in=uids)}
        lock_ids = {e.lock_id for e in events if isinstance(e, LockEvent)}
        if lock_ids:
            self.locks = {lock.lock_id: lock for lock in AccountLock.objects.select_for_update()
                          .select_related("account").filter(lock_id__in=lock_ids)}
        tx_ids = {e.tx_id for e in events if isinstance(e, TransactionEvent)}
        if tx_ids:
            self.transactions = {
                (row.account.uid, row.tx_id): row for row in Transaction.objects
                .select_for_update().select_related("account")
                .filter(account__uid__in=uids, tx_id__in=tx_ids)}

    def _account(self, uid: str) -> ExchangeAccount:
        """A lock or transaction may name an account the feed has not described yet: it starts
        as a bare UID at version 0."""
        account = self.accounts.get(uid)
        if account is None:
            account = self.accounts[uid] = ExchangeAccount(uid=uid)
            self.new.add(id(account))
        return account

    def _touch(self, row: Any) -> None:
        if id(row) not in self.new:
            self.dirty.add(id(row))

    def _judge(self, event: ExchangeEvent) -> bool:
        if isinstance(event, AccountEvent):
            return self._judge_account(event)
        if isinstance(event, LockEvent):
            return self._judge_lock(event)
        return self._judge_transaction(event)

    def _judge_account(self, event: AccountEvent) -> bool:
        account = self.accounts.get(event.uid)
        if account is not None and account.feed_version >= event.version:
            return False
        account = account or self._account(event.uid)
        changes: dict[str, Any] = dict(event.changes)
        changes.update(kyc_columns(kyc_name=changes.pop("kyc_name", None),
                                   id_number=changes.pop("id_number", None)))
        for name, value in changes.items():
            setattr(account, name, value)
        account.feed_version = event.version
        self._touch(account)
        return True

    def _judge_lock(self, event: LockEvent) -> bool:
        lock = self.locks.get(event.lock_id)
        if lock is not None and lock.account.uid != event.uid:
            raise EventRefused(Refusal.BAD_FIELD, "lock_id")  # a lock never moves between accounts
        if lock is not None and lock.feed_version >= event.version:
            return False
        was_active = lock is not None and lock.is_active
        if lock is None:
            lock = self.locks[event.lock_id] = AccountLock(
                account=self._account(event.uid), lock_id=event.lock_id, locked_by=FEED_ACTOR)
            self.new.add(id(lock))
        lock.reason = event.reason
        lock.restrictions = [str(r) for r in event.restrictions]
        lock.since = event.since
        lock.auto_lift_at = event.auto_lift_at
        lock.lifted_at = event.lifted_at
        lock.lifted_by = FEED_ACTOR if event.lifted_at else ""
        lock.note = event.note
        lock.feed_version = event.version
        self._touch(lock)
        if lock.is_active != was_active:
            self.changes.append((lock, LockChangeKind.PLACED if lock.is_active
                                 else LockChangeKind.LIFTED))
        return True

    def _judge_transaction(self, event: TransactionEvent) -> bool:
        row = self.transactions.get((event.uid, event.tx_id))
        if row is not None and row.feed_version >= event.version:
            return False
        if row is None:
            row = self.transactions[(event.uid, event.tx_id)] = Transaction(
                account=self._account(event.uid), tx_id=event.tx_id)
            self.new.add(id(row))
        row.tx_hash = event.tx_hash
        row.occurred_at = event.occurred_at
        row.kind = event.kind
        row.asset = event.asset
        row.amount = event.amount
        row.counterparty = event.counterparty
        row.feed_version = event.version
        self._touch(row)
        return True

    def _write(self) -> None:
        """Accounts first (locks and transactions point at them), inserts then updates."""
        self._save(ExchangeAccount, list(self.accounts.values()), ACCOUNT_FIELDS)
        self._save(AccountLock, list(self.locks.values()), LOCK_FIELDS)
        self._save(Transaction, list(self.transactions.values()), TRANSACTION_FIELDS)

    def _save(self, model: type[Row], rows: list[Row], fields: list[str]) -> None:
        inserts = [row for row in rows if id(row) in self.new]
        updates = [row for row in rows if id(row) in self.dirty]
        if inserts:  # primary keys come back (PostgreSQL, SQLite >= 3.35) for the rows after
            model._default_manager.bulk_create(inserts)
        if updates:
            model._default_manager.bulk_update(updates, fields)


def _change(lock: AccountLock, kind: LockChangeKind) -> LockChange:
    return LockChange(account_id=lock.account_id, uid=lock.account.uid, lock_pk=lock.pk,
                      reason=str(lock.reason), restrictions=tuple(lock.restrictions), kind=kind,
                      actor=FEED_ACTOR)


_TYPE = {AccountEvent: "account", LockEvent: "lock", TransactionEvent: "transaction"}


def summary(results: Iterable[ItemResult]) -> dict[str, int]:
    counts = {str(outcome): 0 for outcome in Outcome}
    for result in results:
        counts[str(result.outcome)] += 1
    return counts
