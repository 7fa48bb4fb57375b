"""Exchange-account mirror: PII encrypted at rest, locks only through the gateway, all audited."""

import pytest
from django.db import connection

from tests.factories import make_account
from unlockdesk.accounts import selectors, services
from unlockdesk.accounts.models import AccountLock
from unlockdesk.accounts.types import LockReason, Restriction
from unlockdesk.safety.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_id_number_and_name_are_encrypted_at_rest_and_matchable_by_hash() -> None:
    account = make_account(kyc_name="张伟", id_number="11010519491231002x")
    with connection.cursor() as cursor:
        cursor.execute("SELECT kyc_name, id_number FROM accounts_exchangeaccount WHERE id = %s",
                       [account.pk])
        name_raw, number_raw = cursor.fetchone()
    assert "张伟" not in name_raw and "11010519491231002X" not in number_raw
    account.refresh_from_db()
    assert account.id_number == "11010519491231002X"
    assert account.id_number_masked == "110***********002X"
    assert account.id_number_hash == services.id_number_hash(" 110105 19491231002x ")
    assert account.kyc_name_masked == "张*"


def test_lock_goes_through_gateway_and_is_audited() -> None:
    account = make_account()
    services.lock_account(account, reason=LockReason.RISK_CONTROL,
                          restrictions=[Restriction.LOGIN], actor="agent:A1")
    assert selectors.blocked(account) == {Restriction.LOGIN}
    entry = AuditEntry.objects.get(action="account.lock")
    assert entry.actor == "agent:A1" and entry.target == f"account:{account.uid}"


def test_freeze_blocks_login_trade_withdraw() -> None:
    account = make_account()
    lock = services.freeze_account(account, actor="customer")
    assert lock.reason == LockReason.SELF_FREEZE
    assert selectors.blocked(account) == {Restriction.LOGIN, Restriction.TRADE, Restriction.WITHDRAW}


def test_lifting_a_lock_records_who_and_is_idempotent() -> None:
    account = make_account(lock=LockReason.SUSPICIOUS_LOGIN)
    lock = AccountLock.objects.get(account=account)
    services.lift_lock(lock, actor="agent:R1", why="identity verified")
    services.lift_lock(AccountLock.objects.get(pk=lock.pk), actor="agent:R2")
    lock.refresh_from_db()
    assert lock.lifted_by == "agent:R1" and not selectors.blocked(account)
    assert AuditEntry.objects.filter(action="account.unlock").count() == 1


def test_security_hold_lifts_by_itself_after_24_hours() -> None:
    from datetime import timedelta

    from django.utils import timezone

    account = make_account()
    lock = services.lock_account(account, reason=LockReason.SECURITY_CHANGE_HOLD,
                                 restrictions=[Restriction.WITHDRAW], actor="system:test")
    assert lock.auto_lift_at is not None
    assert services.lift_expired_holds() == 0
    AccountLock.objects.filter(pk=lock.pk).update(auto_lift_at=timezone.now() - timedelta(seconds=1))
    assert services.lift_expired_holds() == 1
    assert not selectors.blocked(account)


def test_kyc_reveal_is_audited() -> None:
    account = make_account(id_number="440524188001010014")
    revealed = services.reveal_kyc(account, actor="agent:R1", why="compare with ID photo")
    assert revealed["id_number"] == "440524188001010014"
    assert AuditEntry.objects.filter(action="kyc.reveal", actor="agent:R1").exists()


def test_anti_phishing_code_rejects_bad_input_and_changes_nothing() -> None:
    account = make_account(anti_phishing_code="tiger42")
    with pytest.raises(services.AccountError):
        services.set_anti_phishing_code(account, "a b", actor="customer:1")
    account.refresh_from_db()
    assert account.anti_phishing_code == "tiger42"


def test_audit_entries_cannot_be_changed_or_deleted() -> None:
    entry = AuditEntry.objects.create(actor="system", action="x")
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
