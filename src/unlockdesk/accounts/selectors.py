"""Reads of account state, shaped for the portal and the console."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet

from unlockdesk.accounts.models import AccountLock, ExchangeAccount, Transaction
from unlockdesk.accounts.types import LockReason, Restriction
from unlockdesk.prepared import PreparedRead


@dataclass(frozen=True)
class LockView:
    """One lock as a customer or agent reads it."""

    id: int
    reason: LockReason
    reason_label: str
    since: datetime
    restrictions: list[str]
    restriction_labels: list[str]
    auto_lift_at: datetime | None
    is_active: bool
    lifted_at: datetime | None
    locked_by: str


def _view(lock: AccountLock) -> LockView:
    return LockView(
        id=lock.pk,
        reason=LockReason(lock.reason),
        reason_label=str(LockReason(lock.reason).label),
        since=lock.since,
        restrictions=list(lock.restrictions),
        restriction_labels=lock.restriction_labels(),
        auto_lift_at=lock.auto_lift_at,
        is_active=lock.is_active,
        lifted_at=lock.lifted_at,
        locked_by=lock.locked_by,
    )


def active_locks(account: ExchangeAccount) -> list[LockView]:
    return [_view(lock) for lock in account.locks.filter(lifted_at__isnull=True)]


def lock_history(account: ExchangeAccount, limit: int = 20) -> list[LockView]:
    return [_view(lock) for lock in account.locks.all()[:limit]]


def blocked(account: ExchangeAccount) -> set[Restriction]:
    """Everything the account cannot do right now, across all active locks."""
    out: set[Restriction] = set()
    for lock in account.locks.filter(lifted_at__isnull=True):
        out.update(Restriction(r) for r in lock.restrictions)
    return out


# Read for every official email sent (its anti-phishing code): compiled once (unlockdesk.prepared).
_BY_ADDRESS = {
    field: PreparedRead(lambda value, field=field: ExchangeAccount.objects.filter(
        **{field: value}).order_by("pk")[:1], str)
    for field in ("email", "phone")
}
_BY_UID = PreparedRead(lambda uid: ExchangeAccount.objects.filter(uid=uid)[:1], str)


def account_by_address(kind: str, value: str) -> ExchangeAccount | None:
    """The account registered with this normalised email or phone, if any."""
    if not value:  # blank means "not given": it must not match an account that has none
        return None
    return next(iter(_BY_ADDRESS["email" if kind == "email" else "phone"](value)), None)


def find_accounts(query: str) -> QuerySet[ExchangeAccount]:
    query = query.strip()
    return ExchangeAccount.objects.filter(
        Q(uid=query) | Q(email__iexact=query) | Q(phone=query)
    )


def recent_transactions(account: ExchangeAccount, limit: int = 10) -> QuerySet[Transaction]:
    return account.transactions.all()[:limit]


def account_by_uid(uid: str) -> ExchangeAccount | None:
    return next(iter(_BY_UID(uid.strip())), None)


def mirror_view(account: ExchangeAccount) -> dict[str, Any]:
    """The mirror's view of one account for support staff and scripts: masked KYC only."""
    return {
        "uid": account.uid,
        "kyc_name_masked": account.kyc_name_masked,
        "id_number_masked": account.id_number_masked,
        "feed_version": account.feed_version,
        "locks": [
            {"reason": lock.reason, "restrictions": list(lock.restrictions),
             "since": lock.since.isoformat(), "active": lock.is_active,
             "lifted_at": lock.lifted_at.isoformat() if lock.lifted_at else None,
             "lock_id": lock.lock_id}
            for lock in account.locks.all()
        ],
    }
