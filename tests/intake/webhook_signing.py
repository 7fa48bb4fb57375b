"""How each provider proves a webhook call, for tests that call the endpoints over real HTTP."""

import base64
import hashlib
import hmac
import json
import time
from typing import Any

SECRET = "s3cret-for-live-tests"
MAILGUN_KEY = "mailgun-signing-key-for-live-tests"
BASIC = "desk:webhook-password"

PATHS = {
    "telegram": "/webhooks/telegram/",
    "facebook": "/webhooks/facebook/",
    "x": "/webhooks/x/",
    "voice": "/webhooks/voice/",
    "mailgun": "/webhooks/email/mailgun/",
    "postmark": "/webhooks/email/postmark/",
}
JSON_CHANNELS = ("telegram", "facebook", "x", "voice", "postmark")


def configure(settings: Any) -> None:
    """Every provider's secret set, as in production."""
    settings.UNLOCKDESK_TELEGRAM_WEBHOOK_SECRET = SECRET
    settings.UNLOCKDESK_FACEBOOK_APP_SECRET = SECRET
    settings.UNLOCKDESK_FACEBOOK_VERIFY_TOKEN = SECRET
    settings.UNLOCKDESK_X_CONSUMER_SECRET = SECRET
    settings.UNLOCKDESK_VOICE_WEBHOOK_SECRET = SECRET
    settings.ANYMAIL = {"MAILGUN_WEBHOOK_SIGNING_KEY": MAILGUN_KEY, "WEBHOOK_SECRET": BASIC}


def basic_auth(credentials: str = BASIC) -> str:
    return "Basic " + base64.b64encode(credentials.encode()).decode()


def proof(channel: str, body: bytes) -> dict[str, str]:
    """The headers a genuine delivery of `body` carries on a JSON channel."""
    digest = hmac.new(SECRET.encode(), body, hashlib.sha256)
    if channel == "telegram":
        return {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    if channel == "facebook":
        return {"X-Hub-Signature-256": f"sha256={digest.hexdigest()}"}
    if channel == "x":
        return {"X-Twitter-Webhooks-Signature": "sha256=" + base64.b64encode(digest.digest()).decode()}
    if channel == "voice":
        return {"X-Unlockdesk-Signature": f"sha256={digest.hexdigest()}"}
    if channel == "postmark":
        return {"Authorization": basic_auth()}
    raise ValueError(channel)


def mailgun_form(raw_mail: bytes, *, timestamp: int | None = None, **extra: str) -> dict[str, str]:
    """A Mailgun inbound route's form, signed over timestamp and token."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    token = "t" * 50
    signature = hmac.new(MAILGUN_KEY.encode(), f"{stamp}{token}".encode(), hashlib.sha256).hexdigest()
    return {"body-mime": raw_mail.decode("utf-8"), "timestamp": stamp, "token": token,
            "signature": signature, "recipient": "support@okx.com", "sender": "li.ming@example.com",
            **extra}


def telegram_update(text: str = "我的账户被锁了", message_id: int = 7) -> dict[str, Any]:
    return {"update_id": 1000 + message_id,
            "message": {"message_id": message_id, "text": text,
                        "chat": {"id": 4242, "type": "private"},
                        "from": {"id": 4242, "first_name": "Li", "username": "li_trader"}}}


def facebook_event(text: str = "My account was hacked", mid: str = "m_1") -> dict[str, Any]:
    return {"object": "page", "entry": [{"messaging": [
        {"sender": {"id": "551"}, "recipient": {"id": "page"}, "message": {"mid": mid, "text": text}}]}]}


def x_event(text: str = "withdrawal stuck", dm_id: str = "dm-9") -> dict[str, Any]:
    return {"for_user_id": "1", "direct_message_events": [
        {"type": "message_create", "id": dm_id,
         "message_create": {"sender_id": "77", "message_data": {"text": text}}}],
        "users": {"77": {"screen_name": "whale77"}}}


def voice_event(transcript: str = "账户被冻结了，请回电", call_id: str = "c1") -> dict[str, Any]:
    return {"event": "voicemail", "call_id": call_id, "from": "+8613800138009", "transcript": transcript}


def postmark_event(text: str = "我的提现被冻结了",
                   message_id: str = "<pm-live@example.com>") -> dict[str, Any]:
    return {"FromFull": {"Email": "chen@example.com", "Name": "陈先生"},
            "ToFull": [{"Email": "support@okx.com", "Name": ""}],
            "Subject": "提现被冻结", "TextBody": text, "HtmlBody": "",
            "Headers": [{"Name": "Message-ID", "Value": message_id}],
            "Attachments": [], "MessageID": "pm-uuid-live"}


GOOD = {"telegram": telegram_update, "facebook": facebook_event, "x": x_event,
        "voice": voice_event, "postmark": postmark_event}


def encode(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode()
