"""The IVR's emergency freeze is the portal's freeze: one lock however often it is asked for,
a P1 ticket in the security queue, and a confirmation email to the account's address."""

import hashlib
import hmac
import json
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from tests.factories import make_account
from tests.helpers import last_code_sent_to, portal_login
from unlockdesk.accounts.models import AccountLock
from unlockdesk.accounts.types import LockReason
from unlockdesk.safety.models import AuditEntry
from unlockdesk.tickets.models import Priority, Ticket

pytestmark = pytest.mark.django_db

SECRET = "voice-secret"
CALLER = "+8613800138011"


@pytest.fixture(autouse=True)
def _secret(settings) -> None:  # type: ignore[no-untyped-def]
    settings.UNLOCKDESK_VOICE_WEBHOOK_SECRET = SECRET


def post_event(client: Client, event: dict[str, Any]) -> dict[str, Any]:
    body = json.dumps(event).encode()
    signature = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    response = client.post("/webhooks/voice/", body, content_type="application/json",
                           headers={"X-Unlockdesk-Signature": signature})
    assert response.status_code == 200, response.content
    result: dict[str, Any] = response.json()
    return result


def ivr_freeze(client: Client, call_id: str) -> dict[str, Any]:
    """The caller asks for the freeze, gets the texted code and keys it in."""
    post_event(client, {"event": "freeze_request", "call_id": call_id, "from": CALLER})
    code = last_code_sent_to(CALLER)
    return post_event(client, {"event": "freeze_confirm", "call_id": call_id, "from": CALLER,
                               "digits": code, "language": "en"})


def active_freezes(account) -> int:  # type: ignore[no-untyped-def]
    return AccountLock.objects.filter(account=account, reason=LockReason.SELF_FREEZE,
                                      lifted_at__isnull=True).count()


def test_ivr_freeze_opens_a_p1_ticket_in_the_security_queue(client: Client) -> None:
    account = make_account(phone=CALLER)
    reply = ivr_freeze(client, "call-1")
    ticket = Ticket.objects.get(account=account)
    assert ticket.priority == Priority.URGENT and ticket.queue.slug == "security"
    assert "frozen" in reply["say"]


def test_ivr_freeze_sends_the_confirmation_email_with_the_anti_phishing_code(client: Client) -> None:
    account = make_account(phone=CALLER, email="owner@example.com", anti_phishing_code="BlueFox42")
    mail.outbox.clear()
    ivr_freeze(client, "call-1")
    number = Ticket.objects.get(account=account).number
    (confirmation,) = [m for m in mail.outbox if number in str(m.subject)]
    assert confirmation.to == ["owner@example.com"]
    assert "frozen" in str(confirmation.body) and "BlueFox42" in str(confirmation.body)


def test_a_second_ivr_freeze_adds_no_second_lock_but_still_reaches_security(client: Client) -> None:
    account = make_account(phone=CALLER)
    ivr_freeze(client, "call-1")
    ivr_freeze(client, "call-2")
    assert active_freezes(account) == 1
    assert AuditEntry.objects.filter(action="account.freeze_repeat", actor="customer:phone").count() == 1
    assert all(t.queue.slug == "security" and t.priority == Priority.URGENT
               for t in Ticket.objects.filter(account=account))


def test_ivr_freeze_of_an_account_frozen_in_the_portal_adds_no_lock(client: Client) -> None:
    account = make_account(phone=CALLER, email="owner@example.com")
    portal_login(client, "owner@example.com")
    client.post("/portal/security/freeze/", {"confirm": "on"})
    ivr_freeze(Client(), "call-1")
    assert active_freezes(account) == 1


def test_ivr_freeze_of_an_account_without_email_sends_no_email_and_still_opens_the_case(
    client: Client,
) -> None:
    account = make_account(phone=CALLER, email="")
    mail.outbox.clear()
    ivr_freeze(client, "call-1")
    assert active_freezes(account) == 1 and mail.outbox == []
    assert Ticket.objects.get(account=account).queue.slug == "security"
