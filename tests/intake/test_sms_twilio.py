"""SMS through Twilio's SDK against a local fake of Twilio's HTTP API, and SMS switched off.

A text counts as sent only when the provider took it; its status is recorded; a provider
refusal is a failed delivery with the reason; an outage is retried like other deliveries.
"""

import os
import re
import subprocess
import sys
from collections.abc import Iterator

import pytest
from django.test import Client

from tests.factories import inbound, make_account
from tests.intake import fake_twilio
from tests.intake.fake_twilio import FakeTwilio
from unlockdesk.accounts import codes
from unlockdesk.accounts.models import CustomerCode
from unlockdesk.chat import services as chat
from unlockdesk.chat.identity import anonymous
from unlockdesk.intake import ivr
from unlockdesk.intake.models import OutboxItem, SmsDelivery
from unlockdesk.staff.models import Agent
from unlockdesk.tickets.models import Delivery, Message, Ticket
from unlockdesk.tickets.services import outbound, receive, reply
from unlockdesk.tickets.types import Channel, IdentityKind

pytestmark = pytest.mark.django_db

PHONE = "+8613800138000"


@pytest.fixture
def twilio(settings) -> Iterator[FakeTwilio]:  # type: ignore[no-untyped-def]
    with fake_twilio.running() as fake:
        fake_twilio.use(settings, fake)
        yield fake


@pytest.fixture
def sms_off(settings) -> None:  # type: ignore[no-untyped-def]
    settings.UNLOCKDESK_SMS_BACKEND = ""


def phone_ticket(sender: str) -> Ticket:
    receipt = receive(inbound(channel=Channel.PHONE, sender=sender, kind=IdentityKind.PHONE,
                              text="[Voicemail] 我的账户被冻结了"))
    return Ticket.objects.get(pk=receipt.ticket_id)


def agent_reply(ticket: Ticket, agent: Agent) -> Message:
    message = reply(ticket=ticket, agent=agent, text="您好，我们已收到您的申请。")
    assert message.delivery == Delivery.PENDING
    return message


def test_sign_in_code_is_texted_through_twilio_and_its_status_recorded(twilio: FakeTwilio) -> None:
    codes.send_code("phone", PHONE)

    [sent] = twilio.messages
    assert sent["To"] == PHONE and sent["From"] == fake_twilio.FROM
    code = re.findall(r"\b\d{6}\b", sent["Body"])[0]
    codes.verify_code("phone", PHONE, code)  # the texted code is the one that signs in
    record = SmsDelivery.objects.get()
    assert (record.provider, record.provider_id, record.status) == ("twilio", sent["Sid"], "queued")
    assert record.reference == "code" and code not in str(record.__dict__)
    assert not OutboxItem.objects.exists()


def test_agent_reply_on_the_phone_channel_leaves_through_twilio(twilio: FakeTwilio, agent: Agent) -> None:
    ticket = phone_ticket(PHONE)
    message = agent_reply(ticket, agent)

    result = outbound.deliver(message.pk)

    [sent] = [m for m in twilio.messages if "已收到" in m["Body"]]
    assert result.delivered and sent["To"] == PHONE and sent["Body"].startswith(f"[{ticket.number}]")
    message.refresh_from_db()
    assert message.delivery == Delivery.SENT and message.provider_id == f"twilio:{sent['Sid']}"
    assert SmsDelivery.objects.get(provider_id=sent["Sid"]).reference == f"message:{message.pk}"


def test_number_twilio_refuses_is_a_failed_delivery_with_the_reason(twilio: FakeTwilio,
                                                                     agent: Agent) -> None:
    message = agent_reply(phone_ticket(fake_twilio.INVALID_NUMBER), agent)

    result = outbound.deliver(message.pk)

    message.refresh_from_db()
    assert not result.delivered and not result.retryable
    assert message.delivery == Delivery.FAILED and "21211" in message.delivery_error
    assert "not a valid phone number" in message.delivery_error
    failed = SmsDelivery.objects.get(reference=f"message:{message.pk}")
    assert failed.status == SmsDelivery.FAILED and "21211" in failed.error
    assert not any(m["To"] == fake_twilio.INVALID_NUMBER for m in twilio.messages)


def test_twilio_outage_is_retried_and_then_sent(twilio: FakeTwilio, agent: Agent) -> None:
    message = agent_reply(phone_ticket(PHONE), agent)
    twilio.fail_next(503)

    first = outbound.deliver(message.pk)
    message.refresh_from_db()
    assert not first.delivered and first.retryable
    assert message.delivery == Delivery.PENDING and message.delivery_due_at is not None
    assert "503" in message.delivery_error or "20500" in message.delivery_error

    second = outbound.deliver(message.pk)
    message.refresh_from_db()
    assert second.delivered and message.delivery == Delivery.SENT and message.delivery_attempts == 2


def test_unreachable_provider_is_a_retryable_failure(settings, agent: Agent) -> None:  # type: ignore[no-untyped-def]
    with fake_twilio.running() as fake:
        fake_twilio.use(settings, fake)
    # The server is shut down: nothing listens on its port any more.
    message = agent_reply(phone_ticket(PHONE), agent)

    result = outbound.deliver(message.pk)

    message.refresh_from_db()
    assert not result.delivered and result.retryable and message.delivery == Delivery.PENDING
    assert "unreachable" in message.delivery_error


def test_wrong_credentials_fail_for_good(twilio: FakeTwilio, settings, agent: Agent) -> None:  # type: ignore[no-untyped-def]
    settings.UNLOCKDESK_TWILIO_AUTH_TOKEN = "not-the-token"
    message = agent_reply(phone_ticket(PHONE), agent)

    outbound.deliver(message.pk)

    message.refresh_from_db()
    assert message.delivery == Delivery.FAILED and "20003" in message.delivery_error
    assert twilio.messages == []


def test_failed_code_text_is_not_reported_sent(twilio: FakeTwilio, client: Client) -> None:
    response = client.post("/portal/signin/", {"address": fake_twilio.NOT_MOBILE}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert "could not send the text message" in response.content.decode()
    assert SmsDelivery.objects.get().status == SmsDelivery.FAILED


# --- SMS switched off ---------------------------------------------------------------------

def test_phone_sign_in_says_sms_is_off_and_creates_no_code(sms_off: None, client: Client) -> None:
    response = client.post("/portal/signin/", {"address": PHONE}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert "switched off" in response.content.decode()
    assert not CustomerCode.objects.exists() and not OutboxItem.objects.exists()
    assert not SmsDelivery.objects.exists()


def test_phone_sign_in_says_sms_is_off_in_chinese(sms_off: None, client: Client) -> None:
    response = client.post("/portal/signin/", {"address": PHONE}, HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert "短信" in response.content.decode() and "关闭" in response.content.decode()


def test_email_sign_in_still_works_with_sms_off(sms_off: None, client: Client) -> None:
    response = client.post("/portal/signin/", {"address": "someone@example.com"})

    assert response.status_code == 302 and CustomerCode.objects.count() == 1


def test_phone_freeze_says_sms_is_off_to_every_caller(sms_off: None) -> None:
    make_account(phone=PHONE)
    registered = ivr.handle_event({"event": "freeze_request", "call_id": "c1", "from": PHONE,
                                     "language": "en"})
    stranger = ivr.handle_event({"event": "freeze_request", "call_id": "c2",
                                   "from": "+8613900139000", "language": "en"})

    assert "switched off" in registered.say and registered == stranger
    assert not CustomerCode.objects.exists()


def test_reply_on_the_phone_channel_fails_with_sms_off(sms_off: None, agent: Agent) -> None:
    message = agent_reply(phone_ticket(PHONE), agent)

    result = outbound.deliver(message.pk)

    message.refresh_from_db()
    assert not result.delivered and message.delivery == Delivery.FAILED
    assert "SMS is off" in message.delivery_error


@pytest.mark.parametrize(("env", "expected"), [
    ({"UNLOCKDESK_DEMO": "1"}, "unlockdesk.intake.outbox.OutboxSmsBackend"),
    ({"UNLOCKDESK_TWILIO_ACCOUNT_SID": fake_twilio.ACCOUNT_SID},
     "unlockdesk.intake.twilio_sms.TwilioSmsBackend"),
    ({"UNLOCKDESK_ALIYUN_ACCESS_KEY_ID": "LTAI-key"}, "unlockdesk.intake.aliyun_sms.AliyunSmsBackend"),
    ({}, ""),
])
def test_sms_backend_follows_the_environment(env: dict[str, str], expected: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("UNLOCKDESK_SMS", "UNLOCKDESK_TWILIO", "UNLOCKDESK_ALIYUN",
                                   "UNLOCKDESK_DEMO"))}
    script = "from django.conf import settings; print(repr(settings.UNLOCKDESK_SMS_BACKEND))"
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True,
        env={**clean, **env, "DJANGO_SETTINGS_MODULE": "unlockdesk.settings",
             "UNLOCKDESK_DATA_DIR": str(tmp_path)},
    )
    assert out.stdout.strip() == repr(expected)


def test_chat_code_request_says_sms_is_off(sms_off: None) -> None:
    conversation = chat.open_conversation(visitor="v1", identity=anonymous("v1"), language="en")
    with pytest.raises(chat.ChatRefused) as refused:
        chat.request_code(conversation, PHONE)

    assert refused.value.code == "sms_off" and not CustomerCode.objects.exists()
    assert chat.request_code(conversation, "someone@example.com") == "email"  # email still works


def test_voicemail_with_sms_off_does_not_promise_a_text(sms_off: None) -> None:
    reply = ivr.handle_event({"event": "voicemail", "call_id": "c3", "from": PHONE,
                                "transcript": "请回电", "language": "en"})

    assert "text you" not in reply.say and "switched off" in reply.say
    assert Ticket.objects.filter(number=reply.ticket).exists()


def test_phone_freeze_says_when_the_code_could_not_be_texted(twilio: FakeTwilio) -> None:
    make_account(phone=fake_twilio.NOT_MOBILE)

    reply = ivr.handle_event({"event": "freeze_request", "call_id": "c4",
                                "from": fake_twilio.NOT_MOBILE, "language": "en"})

    assert "could not text you a code" in reply.say and twilio.messages == []
