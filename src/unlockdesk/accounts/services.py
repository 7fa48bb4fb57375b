"""Writes on exchange accounts: registration in the mirror, locks, freeze and unlock.

Every lock change goes through the gateway and lands in the audit log in the same
transaction.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from unlockdesk import crypto
from unlockdesk.accounts.gateway import gateway
from unlockdesk.accounts.hooks import LockChange, LockChangeKind, lock_changed
from unlockdesk.accounts.identifiers import (
    mask_id_number,
    mask_name,
    normalize_email,
    normalize_id_number,
    normalize_phone,
)
from unlockdesk.accounts.models import AccountLock, ExchangeAccount
from unlockdesk.accounts.types import FREEZE_RESTRICTIONS, LockReason, Restriction
from unlockdesk.safety import audit

SECURITY_HOLD = timedelta(hours=24)


class AccountError(Exception):
    """A requested account change is not allowed."""


def id_number_hash(id_number: str) -> str:
    return crypto.keyed_hash(normalize_id_number(id_number), purpose="id_number")


def kyc_name_hash(name: str) -> str:
    return crypto.keyed_hash("".join(name.split()).casefold(), purpose="kyc_name")


def kyc_columns(*, kyc_name: str | None = None, id_number: str | None = None) -> dict[str, str]:
    """Encrypted value, keyed hash and masked form of the KYC fields given (None: leave alone)."""
    columns: dict[str, str] = {}
    if kyc_name is not None:
        columns.update(kyc_name=kyc_name,
                       kyc_name_hash=kyc_name_hash(kyc_name) if kyc_name else "",
                       kyc_name_masked=mask_name(kyc_name) if kyc_name else "")
    if id_number is not None:
        columns.update(id_number=normalize_id_number(id_number) if id_number else "",
                       id_number_hash=id_number_hash(id_number) if id_number else "",
                       id_number_masked=mask_id_number(id_number) if id_number else "")
    return columns


def upsert_account(
    *,
    uid: str,
    email: str = "",
    phone: str = "",
    kyc_name: str = "",
    id_number: str = "",
    anti_phishing_code: str = "",
    balance_usd: str | int = 0,
    language: str = "zh-hans",
) -> ExchangeAccount:
    """Create or update the mirror of one exchange account (used by sync and demo data)."""
    defaults = {
        "email": normalize_email(email) if email else "",
        "phone": normalize_phone(phone) if phone else "",
        **kyc_columns(kyc_name=kyc_name, id_number=id_number),
        "anti_phishing_code": anti_phishing_code,
        "balance_usd": balance_usd,
        "language": language,
    }
    account, _created = ExchangeAccount.objects.update_or_create(uid=uid, defaults=defaults)
    return account


def lock_account(
    account: ExchangeAccount,
    *,
    reason: LockReason,
    restrictions: list[Restriction],
    actor: str,
    note: str = "",
) -> AccountLock:
    """Lock through the gateway; a security-change hold lifts itself after 24 hours."""
    auto_lift = timezone.now() + SECURITY_HOLD if reason == LockReason.SECURITY_CHANGE_HOLD else None
    with transaction.atomic():
        lock = gateway().lock(
            account,
            reason=reason,
            restrictions=restrictions,
            locked_by=actor,
            note=note,
            auto_lift_at=auto_lift,
        )
        audit.record(
            actor=actor,
            action="account.lock",
            target=f"account:{account.uid}",
            reason=str(reason),
            restrictions=[str(r) for r in restrictions],
        )
        lock_changed(change_of(lock, LockChangeKind.PLACED, actor))
    return lock


def freeze_account(account: ExchangeAccount, *, actor: str, note: str = "") -> AccountLock:
    """Emergency freeze: blocks login, trade and withdraw. It can never unfreeze anything."""
    return lock_account(
        account,
        reason=LockReason.SELF_FREEZE,
        restrictions=list(FREEZE_RESTRICTIONS),
        actor=actor,
        note=note,
    )


def lift_lock(lock: AccountLock, *, actor: str, why: str = "") -> AccountLock:
    """Lift one lock through the gateway and audit it; lifting a lifted lock is a no-op."""
    if not lock.is_active:
        return lock
    with transaction.atomic():
        lifted = gateway().lift(lock, lifted_by=actor)
        audit.record(
            actor=actor,
            action="account.unlock",
            target=f"account:{lock.account.uid}",
            lock=lock.pk,
            reason=lock.reason,
            why=why,
        )
        lock_changed(change_of(lifted, LockChangeKind.LIFTED, actor))
    return lifted


def change_of(lock: AccountLock, kind: LockChangeKind, actor: str) -> LockChange:
    """What listeners hear about a lock change: ids and codes, no personal data."""
    return LockChange(account_id=lock.account_id, uid=lock.account.uid, lock_pk=lock.pk,
                      reason=str(lock.reason), restrictions=tuple(lock.restrictions),
                      kind=kind, actor=actor)


def lift_expired_holds() -> int:
    """Lift locks whose automatic lift time has passed (24 h security holds)."""
    count = 0
    for lock in AccountLock.objects.filter(lifted_at__isnull=True, auto_lift_at__lte=timezone.now()):
        lift_lock(lock, actor="system:hold-expired")
        count += 1
    return count


def set_anti_phishing_code(account: ExchangeAccount, code: str, *, actor: str) -> None:
    code = code.strip()
    if not (4 <= len(code) <= 20) or any(ch.isspace() for ch in code):
        raise AccountError("The anti-phishing code must be 4 to 20 characters, without spaces.")
    with transaction.atomic():
        account.anti_phishing_code = code
        account.save(update_fields=["anti_phishing_code"])
        audit.record(actor=actor, action="account.anti_phishing_set", target=f"account:{account.uid}")


def reveal_kyc(account: ExchangeAccount, *, actor: str, why: str) -> dict[str, str]:
    """The plain KYC name and ID number, for a reviewer who must compare; always audited."""
    audit.record(actor=actor, action="kyc.reveal", target=f"account:{account.uid}", why=why)
    return {"kyc_name": account.kyc_name, "id_number": account.id_number}
