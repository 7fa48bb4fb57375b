"""Provider webhooks (django-anymail): verified mail takes the same path as SMTP mail; a bad
signature or password is a 4xx and stores nothing; an unconfigured endpoint accepts no one."""

import base64
import hashlib
import hmac
import json
import time

import pytest
from django.test import Client

from tests.intake.mailfactory import mail
from unlockdesk.tickets.models import Message, Ticket

pytestmark = pytest.mark.django_db

SIGNING_KEY = "mailgun-signing-key-for-tests"
BASIC = "desk:webhook-password"


@pytest.fixture(autouse=True)
def _secrets(settings) -> None:  # type: ignore[no-untyped-def]
    settings.ANYMAIL = {"MAILGUN_WEBHOOK_SIGNING_KEY": SIGNING_KEY, "WEBHOOK_SECRET": BASIC}


def _mailgun_form(raw: bytes, *, key: str = SIGNING_KEY) -> dict[str, str]:
    timestamp, token = str(int(time.time())), "a" * 50
    signature = hmac.new(key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()
    return {"body-mime": raw.decode("utf-8"), "timestamp": timestamp, "token": token,
            "signature": signature, "recipient": "support@okx.com", "sender": "li.ming@example.com"}


def _auth(credentials: str = BASIC) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(credentials.encode()).decode()}


def test_mailgun_signed_mail_opens_a_ticket_once(client: Client) -> None:
    raw = mail(message_id="<mg-1@example.com>")
    first = client.post("/webhooks/email/mailgun/", _mailgun_form(raw), headers=_auth())
    again = client.post("/webhooks/email/mailgun/", _mailgun_form(raw), headers=_auth())
    assert first.status_code == 200 and first.json()["results"][0]["status"] == "created"
    assert again.json()["results"][0]["status"] == "duplicate"
    message = Message.objects.get(external_id="<mg-1@example.com>")
    assert message.headers["source"] == "mailgun" and "账户被锁" in message.subject


def test_mailgun_bad_signature_is_refused_and_stores_nothing(client: Client) -> None:
    response = client.post("/webhooks/email/mailgun/", _mailgun_form(mail(), key="guessed"),
                           headers=_auth())
    assert response.status_code == 400
    assert Message.objects.count() == 0 and Ticket.objects.count() == 0


def _postmark_payload(raw: bytes | None = None) -> str:
    if raw is not None:
        return json.dumps({"RawEmail": raw.decode("utf-8"), "MessageID": "pm-uuid"})
    return json.dumps({
        "FromFull": {"Email": "chen@example.com", "Name": "陈先生"},
        "ToFull": [{"Email": "support@okx.com", "Name": ""}],
        "Subject": "提现被冻结", "TextBody": "我的提现被冻结了，UID 20009999", "HtmlBody": "",
        "Headers": [{"Name": "Message-ID", "Value": "<pm-parsed@example.com>"}],
        "Attachments": [], "MessageID": "pm-uuid-2",
    })


def test_postmark_raw_and_parsed_payloads_open_tickets(client: Client) -> None:
    raw = client.post("/webhooks/email/postmark/", _postmark_payload(mail(message_id="<pm-raw@x.example>")),
                      content_type="application/json", headers=_auth())
    parsed = client.post("/webhooks/email/postmark/", _postmark_payload(),
                         content_type="application/json", headers=_auth())
    assert [r.json()["results"][0]["status"] for r in (raw, parsed)] == ["created", "created"]
    message = Message.objects.get(external_id="<pm-parsed@example.com>")
    assert message.contact.display_name == "陈先生" and "UID 20009999" in message.body_text


def test_postmark_wrong_password_is_refused_and_stores_nothing(client: Client) -> None:
    response = client.post("/webhooks/email/postmark/", _postmark_payload(mail()),
                           content_type="application/json", headers=_auth("desk:guess"))
    assert response.status_code == 400
    assert Message.objects.count() == 0


def test_unconfigured_webhook_accepts_no_one(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ANYMAIL = {}
    response = client.post("/webhooks/email/postmark/", _postmark_payload(mail()),
                           content_type="application/json")
    assert response.status_code == 403
    assert client.post("/webhooks/email/mailgun/", _mailgun_form(mail())).status_code == 403
    assert Message.objects.count() == 0
