"""Voice-provider events: voicemail and callbacks become tickets; the IVR freeze needs the texted code."""

import hashlib
import hmac
import json

import pytest
from django.test import Client

from tests.factories import make_account
from tests.helpers import last_code_sent_to
from unlockdesk.accounts import selectors
from unlockdesk.accounts.types import Restriction
from unlockdesk.safety.models import AuditEntry
from unlockdesk.tickets.models import CallbackRequest, Priority, Ticket

pytestmark = pytest.mark.django_db

SECRET = "voice-secret"
CALLER = "+8613800138009"


@pytest.fixture(autouse=True)
def _secret(settings) -> None:  # type: ignore[no-untyped-def]
    settings.UNLOCKDESK_VOICE_WEBHOOK_SECRET = SECRET


def post_event(client: Client, event: dict, secret: str = SECRET):  # type: ignore[no-untyped-def]
    body = json.dumps(event).encode()
    signature = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return client.post("/webhooks/voice/", body, content_type="application/json",
                       headers={"X-Unlockdesk-Signature": signature})


def test_voicemail_becomes_a_ticket_once(client: Client) -> None:
    event = {"event": "voicemail", "call_id": "c1", "from": CALLER, "transcript": "账户被冻结了，请回电"}
    assert post_event(client, event).status_code == 200
    assert post_event(client, event).status_code == 200
    ticket = Ticket.objects.get()
    assert ticket.channel == "phone" and ticket.messages.filter(direction="in").count() == 1
    assert "[Voicemail]" in ticket.messages.get(direction="in").body_text


def test_unsigned_event_is_refused(client: Client) -> None:
    response = post_event(client, {"event": "voicemail", "call_id": "c1", "from": CALLER,
                                   "transcript": "x"}, secret="wrong")
    assert response.status_code == 403 and Ticket.objects.count() == 0


def test_unknown_event_is_a_clear_400(client: Client) -> None:
    response = post_event(client, {"event": "dance", "call_id": "c1", "from": CALLER})
    assert response.status_code == 400 and "unknown event" in response.json()["error"]


def test_ivr_freeze_needs_the_code_texted_to_the_registered_number(client: Client) -> None:
    account = make_account(phone=CALLER)
    said = post_event(client, {"event": "freeze_request", "call_id": "c2", "from": CALLER}).json()["say"]
    assert "6" in said
    wrong = post_event(client, {"event": "freeze_confirm", "call_id": "c2", "from": CALLER,
                                "digits": "000001"})
    assert wrong.status_code == 200 and not selectors.blocked(account)
    code = last_code_sent_to(CALLER)
    post_event(client, {"event": "freeze_confirm", "call_id": "c2", "from": CALLER, "digits": code})
    assert selectors.blocked(account) == {Restriction.LOGIN, Restriction.TRADE, Restriction.WITHDRAW}
    ticket = Ticket.objects.get()
    assert ticket.priority == Priority.URGENT and ticket.account == account
    assert AuditEntry.objects.filter(action="account.lock", actor="customer:phone").exists()


def test_freeze_request_for_an_unregistered_number_says_the_same_and_sends_nothing(client: Client) -> None:
    from unlockdesk.accounts.models import CustomerCode

    make_account(phone=CALLER)
    registered = post_event(client, {"event": "freeze_request", "call_id": "a", "from": CALLER}).json()
    unknown = post_event(client, {"event": "freeze_request", "call_id": "b",
                                  "from": "+8613900139000"}).json()
    assert registered == unknown
    assert CustomerCode.objects.count() == 1



def test_a_callback_request_from_the_voice_bridge_waits_in_the_callback_queue(client: Client) -> None:
    event = {"event": "callback_request", "call_id": "bridge-1", "from": CALLER}
    for _attempt in range(2):  # a retried event: one request in the queue (#17)
        assert post_event(client, event).status_code == 200
    callback = CallbackRequest.objects.get()
    assert callback.number == CALLER and callback.source_call_id == "bridge-1"
    assert callback.ticket == Ticket.objects.get()
