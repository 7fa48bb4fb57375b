"""Emergency freeze: from the portal after the one-time code, and from the signed link in every
security email. One step freezes login, trade and withdraw and opens a P1 ticket; nothing here
unfreezes."""

import re
import time

import pytest
from django.core import mail
from django.test import Client

from tests.factories import make_account
from tests.helpers import portal_login
from unlockdesk.accounts.models import AccountLock
from unlockdesk.accounts.types import LockReason, Restriction
from unlockdesk.safety.freeze_links import FREEZE_LINK_MAX_AGE, freeze_token
from unlockdesk.safety.models import AuditEntry
from unlockdesk.tickets.models import Priority, Ticket

pytestmark = pytest.mark.django_db

FROZEN = {Restriction.LOGIN, Restriction.TRADE, Restriction.WITHDRAW}


def _active_restrictions(account) -> set[str]:  # type: ignore[no-untyped-def]
    return {r for lock in AccountLock.objects.filter(account=account, lifted_at__isnull=True)
            for r in lock.restrictions}


def test_portal_freeze_blocks_login_trade_withdraw_and_opens_a_p1_ticket(client: Client) -> None:
    account = make_account(email="owner@example.com")
    portal_login(client, "owner@example.com")
    response = client.post("/portal/security/freeze/", {"confirm": "on"})
    assert response.status_code == 200 and b'id="frozen"' in response.content
    assert _active_restrictions(account) >= FROZEN
    ticket = Ticket.objects.get(account=account)
    assert ticket.priority == Priority.URGENT and ticket.queue.slug == "security"


def test_portal_freeze_needs_the_confirmation_box(client: Client) -> None:
    account = make_account(email="owner@example.com")
    portal_login(client, "owner@example.com")
    client.post("/portal/security/freeze/", {})
    assert _active_restrictions(account) == set()


def test_portal_freeze_needs_the_one_time_code(client: Client) -> None:
    account = make_account(email="owner@example.com")
    response = client.post("/portal/security/freeze/", {"confirm": "on"})
    assert response.status_code == 302 and "/portal/signin/" in response["Location"]
    assert _active_restrictions(account) == set()


def test_sign_in_code_email_carries_a_working_freeze_link(client: Client) -> None:
    account = make_account(email="owner@example.com")
    client.post("/portal/signin/", {"address": "owner@example.com"})
    body = str(mail.outbox[-1].body)
    path = re.search(r"https?://[^/\s]+(/freeze/[^\s]+/)", body).group(1)  # type: ignore[union-attr]
    assert client.get(path).status_code == 200
    assert _active_restrictions(account) == set()  # opening the link (mail scanners do) changes nothing
    client.post(path, {"confirm": "on"})
    assert _active_restrictions(account) >= FROZEN


def test_freeze_link_for_one_account_cannot_be_bent_to_another(client: Client) -> None:
    account = make_account()
    token = freeze_token(account)
    tampered = token[:-2] + ("aa" if not token.endswith("aa") else "bb")
    assert client.post(f"/freeze/{tampered}/", {"confirm": "on"}).status_code == 400
    assert _active_restrictions(account) == set()


def test_expired_freeze_link_is_refused(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    account = make_account()
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() - FREEZE_LINK_MAX_AGE.total_seconds() - 60)
    token = freeze_token(account)
    monkeypatch.setattr(time, "time", real_time)
    assert client.post(f"/freeze/{token}/", {"confirm": "on"}).status_code == 400


def test_freezing_a_locked_account_lifts_nothing(client: Client) -> None:
    account = make_account(lock=LockReason.COMPLIANCE_REVIEW, restrictions=[Restriction.DEPOSIT])
    client.post(f"/freeze/{freeze_token(account)}/", {"confirm": "on"})
    client.post(f"/freeze/{freeze_token(account)}/", {"confirm": "on"})
    assert _active_restrictions(account) == FROZEN | {Restriction.DEPOSIT}
    assert AccountLock.objects.filter(account=account, reason=LockReason.SELF_FREEZE).count() == 1


def test_freezing_a_frozen_account_adds_no_second_lock_but_reaches_security_again(client: Client) -> None:
    account = make_account(email="owner@example.com")
    portal_login(client, "owner@example.com")
    client.post("/portal/security/freeze/", {"confirm": "on"})
    response = client.post("/portal/security/freeze/", {"confirm": "on"})
    assert response.status_code == 200
    assert AccountLock.objects.filter(account=account, reason=LockReason.SELF_FREEZE,
                                      lifted_at__isnull=True).count() == 1
    assert AuditEntry.objects.filter(action="account.freeze_repeat").count() == 1
    assert all(t.queue.slug == "security" for t in Ticket.objects.filter(account=account))


def test_the_signed_link_and_the_portal_freeze_alike_and_email_a_confirmation(client: Client) -> None:
    account = make_account(email="owner@example.com")
    mail.outbox.clear()
    client.post(f"/freeze/{freeze_token(account)}/", {"confirm": "on"})
    ticket = Ticket.objects.get(account=account)
    assert ticket.priority == Priority.URGENT and ticket.queue.slug == "security"
    (confirmation,) = [m for m in mail.outbox if ticket.number in str(m.subject)]
    assert confirmation.to == ["owner@example.com"]
