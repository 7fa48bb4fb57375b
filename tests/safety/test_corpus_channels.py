"""Every secret in the labelled corpus is gone from the database after each channel.

Each corpus text enters the way a customer or provider really sends it, through the channel's
public entry point: the portal form (HTTP), a live-chat message (chat service the socket
calls), an RFC 822 mail with an HTML part (the email channel's one ingest path), signed
Telegram / Facebook / X webhooks and a signed voice-provider event. Afterwards no secret may be
anywhere in the database (tickets, messages, timeline, outbox, sessions, audit log ...), and
the customer got one safety warning per message on the same channel.
"""

import base64
import hashlib
import hmac
import json
import uuid
from collections.abc import Callable
from email.message import EmailMessage

import pytest
from django.test import Client

from tests.helpers import portal_login
from tests.safety.corpus import leaked, secret_values, with_secrets
from unlockdesk.chat import services as chat
from unlockdesk.chat.identity import VisitorIdentity
from unlockdesk.intake.mail.ingest import ingest
from unlockdesk.tickets.models import Direction, Message
from unlockdesk.tickets.types import Channel, IdentityKind

pytestmark = pytest.mark.django_db

SECRET = "corpus-webhook-secret"
Send = Callable[[Client, str, int], None]


@pytest.fixture(autouse=True)
def _webhook_secrets(settings) -> None:  # type: ignore[no-untyped-def]
    settings.UNLOCKDESK_TELEGRAM_WEBHOOK_SECRET = SECRET
    settings.UNLOCKDESK_FACEBOOK_APP_SECRET = SECRET
    settings.UNLOCKDESK_X_CONSUMER_SECRET = SECRET
    settings.UNLOCKDESK_VOICE_WEBHOOK_SECRET = SECRET


def _hex_signature(body: bytes) -> str:
    return "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()


def _post(client: Client, path: str, data: dict, **headers: str) -> None:
    body = json.dumps(data).encode()
    signed = {name: value(body) if callable(value) else value for name, value in headers.items()}
    response = client.post(path, body, content_type="application/json", headers=signed)
    assert response.status_code == 200, response.content[:300]


def via_portal(client: Client, text: str, n: int) -> None:
    if n == 0:
        portal_login(client, "corpus@example.com")
    response = client.post("/portal/tickets/new/", {
        "subject": "help", "text": text, "client_id": str(uuid.uuid4())})
    assert response.status_code == 302, response.content[:300]


def via_chat(client: Client, text: str, n: int) -> None:
    identity = VisitorIdentity(IdentityKind.CHAT_VISITOR, f"visitor-{n}", verified=False)
    conversation = chat.open_conversation(visitor=f"visitor-{n}", identity=identity,
                                          language="")
    chat.send_to_agent(conversation=conversation, text=text, client_id=uuid.uuid4().hex,
                       open_ticket=True)


def via_email(client: Client, text: str, n: int) -> None:
    message = EmailMessage()
    message["From"] = f"corpus{n}@example.com"
    message["To"] = "support@okx.com"
    message["Subject"] = text.splitlines()[0][:60]
    message["Message-ID"] = f"<corpus-{n}-{uuid.uuid4().hex}@example.com>"
    message.set_content(text)
    message.add_alternative(f"<p>{text}</p>", subtype="html")
    assert ingest(message.as_bytes(), source="smtp").status == "created"


def via_telegram(client: Client, text: str, n: int) -> None:
    _post(client, "/webhooks/telegram/", {"update_id": 1000 + n, "message": {
        "message_id": n, "chat": {"id": 7000 + n, "type": "private"},
        "from": {"id": 7000 + n, "first_name": "A"}, "text": text}},
        **{"X-Telegram-Bot-Api-Secret-Token": SECRET})


def via_facebook(client: Client, text: str, n: int) -> None:
    _post(client, "/webhooks/facebook/", {"object": "page", "entry": [{"id": "page", "messaging": [
        {"sender": {"id": str(8000 + n)}, "recipient": {"id": "page"},
         "message": {"mid": f"m.{uuid.uuid4().hex}", "text": text}}]}]},
        **{"X-Hub-Signature-256": _hex_signature})


def via_x(client: Client, text: str, n: int) -> None:
    def signature(body: bytes) -> str:
        digest = hmac.new(SECRET.encode(), body, hashlib.sha256).digest()
        return "sha256=" + base64.b64encode(digest).decode()

    _post(client, "/webhooks/x/", {"for_user_id": "1", "direct_message_events": [
        {"id": uuid.uuid4().hex, "type": "message_create", "message_create": {
            "sender_id": str(9000 + n), "target": {"recipient_id": "1"},
            "message_data": {"text": text}}}]},
        **{"X-Twitter-Webhooks-Signature": signature})


def via_phone(client: Client, text: str, n: int) -> None:
    _post(client, "/webhooks/voice/", {"event": "voicemail", "call_id": uuid.uuid4().hex,
                                       "from": f"+86139{n:08d}", "transcript": text},
          **{"X-Unlockdesk-Signature": _hex_signature})


ENTRY_POINTS: dict[Channel, Send] = {
    Channel.WEB: via_portal,
    Channel.CHAT: via_chat,
    Channel.EMAIL: via_email,
    Channel.TELEGRAM: via_telegram,
    Channel.FACEBOOK: via_facebook,
    Channel.X: via_x,
    Channel.PHONE: via_phone,
}


def test_every_channel_has_an_entry_point_here() -> None:
    assert set(ENTRY_POINTS) == set(Channel)


@pytest.mark.parametrize("channel", list(Channel))
def test_no_corpus_secret_survives_the_channel(channel: Channel, client: Client) -> None:
    items = with_secrets()
    for n, item in enumerate(items):
        ENTRY_POINTS[channel](client, item["text"], n)
    inbound = Message.objects.filter(direction=Direction.INBOUND, channel=channel)
    assert inbound.count() == len(items)
    assert all(message.redactions for message in inbound)
    warnings = Message.objects.filter(direction=Direction.OUTBOUND, channel=channel,
                                      headers__auto="safety_warning")
    assert warnings.count() == len(items)
    assert leaked(secret_values()) == []
