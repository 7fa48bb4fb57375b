"""`ExchangeGateway`: the only way Unlockdesk changes an account on the exchange.

The database implementation (default) acts on the mirror tables. A deployment against a real
exchange core sets UNLOCKDESK_GATEWAY to a class with the same methods. Every change is
audited by the services that call the gateway, not here.
"""

from datetime import datetime
from typing import Protocol

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from unlockdesk.accounts.models import AccountLock, ExchangeAccount, Transaction
from unlockdesk.accounts.types import LockReason, Restriction


class ExchangeGateway(Protocol):
    def lock(
        self,
        account: ExchangeAccount,
        *,
        reason: LockReason,
        restrictions: list[Restriction],
        locked_by: str,
        note: str = "",
        auto_lift_at: datetime | None = None,
    ) -> AccountLock: ...

    def lift(self, lock: AccountLock, *, lifted_by: str) -> AccountLock: ...

    def transactions(self, account: ExchangeAccount, tx_ids: list[str]) -> list[Transaction]: ...


class DatabaseGateway:
    """Locks and transactions kept in Unlockdesk's own tables (demo and tests)."""

    def lock(
        self,
        account: ExchangeAccount,
        *,
        reason: LockReason,
        restrictions: list[Restriction],
        locked_by: str,
        note: str = "",
        auto_lift_at: datetime | None = None,
    ) -> AccountLock:
        return AccountLock.objects.create(
            account=account,
            reason=reason,
            restrictions=[str(r) for r in restrictions],
            locked_by=locked_by,
            note=note,
            auto_lift_at=auto_lift_at,
        )

    def lift(self, lock: AccountLock, *, lifted_by: str) -> AccountLock:
        with transaction.atomic():
            fresh = AccountLock.objects.select_for_update().get(pk=lock.pk)
            if fresh.lifted_at is None:
                fresh.lifted_at = timezone.now()
                fresh.lifted_by = lifted_by
                fresh.save(update_fields=["lifted_at", "lifted_by"])
        return fresh

    def transactions(self, account: ExchangeAccount, tx_ids: list[str]) -> list[Transaction]:
        return list(account.transactions.filter(tx_id__in=tx_ids)) + list(
            account.transactions.filter(tx_hash__in=tx_ids).exclude(tx_id__in=tx_ids)
        )


def gateway() -> ExchangeGateway:
    path = settings.UNLOCKDESK_GATEWAY
    gateway_class = import_string(path)
    instance: ExchangeGateway = gateway_class()
    return instance
