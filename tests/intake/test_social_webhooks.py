"""Telegram, Facebook and X webhooks: verified, parsed, stored once, answered on the same channel."""

import base64
import hashlib
import hmac
import json

import pytest
from django.test import Client

from tests.factories import make_agent
from unlockdesk.intake.models import OutboxItem
from unlockdesk.tickets.models import Direction, Message, Ticket
from unlockdesk.tickets.services import reply
from unlockdesk.tickets.types import Channel

pytestmark = pytest.mark.django_db

SECRET = "s3cret-for-tests"


@pytest.fixture(autouse=True)
def _secrets(settings) -> None:  # type: ignore[no-untyped-def]
    settings.UNLOCKDESK_TELEGRAM_WEBHOOK_SECRET = SECRET
    settings.UNLOCKDESK_FACEBOOK_APP_SECRET = SECRET
    settings.UNLOCKDESK_FACEBOOK_VERIFY_TOKEN = SECRET
    settings.UNLOCKDESK_X_CONSUMER_SECRET = SECRET


def telegram_update(message_id: int = 7, text: str = "我的账户被锁了") -> dict:
    return {"update_id": 1000 + message_id,
            "message": {"message_id": message_id, "text": text,
                        "chat": {"id": 4242, "type": "private"},
                        "from": {"id": 4242, "first_name": "Li", "username": "li_trader"}}}


def post_telegram(client: Client, body: dict, secret: str = SECRET):  # type: ignore[no-untyped-def]
    return client.post("/webhooks/telegram/", json.dumps(body), content_type="application/json",
                       headers={"X-Telegram-Bot-Api-Secret-Token": secret})


def test_telegram_message_opens_a_ticket_once_even_when_retried(client: Client) -> None:
    assert post_telegram(client, telegram_update()).json() == {"status": ["created"]}
    assert post_telegram(client, telegram_update()).json() == {"status": ["duplicate"]}
    ticket = Ticket.objects.get()
    assert ticket.channel == Channel.TELEGRAM
    assert ticket.messages.filter(direction=Direction.INBOUND).count() == 1


def test_telegram_with_a_wrong_secret_is_refused_and_stores_nothing(client: Client) -> None:
    assert post_telegram(client, telegram_update(), secret="guess").status_code == 403
    assert Message.objects.count() == 0


def test_telegram_malformed_body_is_a_clear_400(client: Client) -> None:
    response = client.post("/webhooks/telegram/", "not json", content_type="application/json",
                           headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
    assert response.status_code == 400 and "JSON" in response.json()["error"]
    assert Message.objects.count() == 0


def test_agent_reply_goes_back_to_the_telegram_chat_with_the_agent_number(
    client: Client, settings, django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    settings.DEMO_MODE = True
    post_telegram(client, telegram_update())
    with django_capture_on_commit_callbacks(execute=True):
        reply(ticket=Ticket.objects.get(), agent=make_agent(agent_number="A5005"), text="您好，正在处理")
    sent = OutboxItem.objects.filter(kind=OutboxItem.SOCIAL, to="telegram:tg:4242").last()
    assert sent is not None and "A5005" in sent.body and "正在处理" in sent.body


def test_unconfigured_telegram_delivery_fails_clearly(
    client: Client, settings, django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    settings.DEMO_MODE = False
    settings.UNLOCKDESK_TELEGRAM_BOT_TOKEN = ""
    post_telegram(client, telegram_update())
    with django_capture_on_commit_callbacks(execute=True):
        message = reply(ticket=Ticket.objects.get(), agent=make_agent(), text="hello")
    message.refresh_from_db()
    assert (message.delivery, message.delivery_error) == ("failed", "Telegram is not configured")


def facebook_body(mid: str = "m_1") -> bytes:
    return json.dumps({"object": "page", "entry": [{"messaging": [
        {"sender": {"id": "551"}, "recipient": {"id": "page"},
         "message": {"mid": mid, "text": "My account was hacked"}},
        {"sender": {"id": "page"}, "recipient": {"id": "551"},
         "message": {"mid": "echo1", "text": "our own echo", "is_echo": True}},
    ]}]}).encode()


def fb_signature(body: bytes, secret: str = SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def test_facebook_signed_event_is_stored_and_echoes_skipped(client: Client) -> None:
    body = facebook_body()
    response = client.post("/webhooks/facebook/", body, content_type="application/json",
                           headers={"X-Hub-Signature-256": fb_signature(body)})
    assert response.json() == {"status": ["created"]}
    assert Message.objects.filter(direction=Direction.INBOUND).count() == 1
    assert Ticket.objects.get().priority == 1  # a hacked account is urgent


def test_facebook_bad_signature_is_refused(client: Client) -> None:
    body = facebook_body()
    response = client.post("/webhooks/facebook/", body, content_type="application/json",
                           headers={"X-Hub-Signature-256": fb_signature(body, "wrong")})
    assert response.status_code == 403 and Message.objects.count() == 0


def test_facebook_subscription_handshake(client: Client) -> None:
    ok = client.get("/webhooks/facebook/", {"hub.mode": "subscribe", "hub.verify_token": SECRET,
                                            "hub.challenge": "1158201444"})
    assert ok.content == b"1158201444"
    assert client.get("/webhooks/facebook/", {"hub.mode": "subscribe", "hub.verify_token": "x",
                                              "hub.challenge": "1"}).status_code == 403


def test_x_crc_and_signed_direct_message(client: Client) -> None:
    crc = client.get("/webhooks/x/", {"crc_token": "abc"}).json()["response_token"]
    expected = base64.b64encode(hmac.new(SECRET.encode(), b"abc", hashlib.sha256).digest()).decode()
    assert crc == f"sha256={expected}"
    body = json.dumps({"for_user_id": "1", "direct_message_events": [
        {"type": "message_create", "id": "dm-9",
         "message_create": {"sender_id": "77", "message_data": {"text": "withdrawal stuck"}}}],
        "users": {"77": {"screen_name": "whale77"}}}).encode()
    digest = hmac.new(SECRET.encode(), body, hashlib.sha256).digest()
    signature = "sha256=" + base64.b64encode(digest).decode()
    response = client.post("/webhooks/x/", body, content_type="application/json",
                           headers={"X-Twitter-Webhooks-Signature": signature})
    assert response.json() == {"status": ["created"]}
    assert Ticket.objects.get().contact.identities.get().value == "x:77"
    bad = client.post("/webhooks/x/", body, content_type="application/json",
                      headers={"X-Twitter-Webhooks-Signature": "sha256=AAAA"})
    assert bad.status_code == 403
