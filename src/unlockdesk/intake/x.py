"""X (Twitter) direct messages: Account Activity webhook in (text and media), DM API out
(text; pictures through the media upload, one per message as X allows)."""

import base64
import re
from typing import Any

from django.conf import settings

from unlockdesk.intake import media, payloads, providers
from unlockdesk.intake.signatures import hmac_sha256
from unlockdesk.tickets.types import (
    Channel,
    DeliveryResult,
    FetchedFile,
    FetchFailed,
    IdentityKind,
    InboundMessage,
    OutboundMessage,
    RemoteFile,
    SenderIdentity,
)

CHANNEL = Channel.X
ADDRESS_KIND = IdentityKind.X
# X direct messages carry pictures, not documents: a PDF reply is refused before it is stored.
OUTBOUND_FILE_TYPES = frozenset({"image/jpeg", "image/png"})

# X's CRC answer and its delivery signature are the same HMAC under the same key, so the
# challenge endpoint must never sign anything a delivery could be: X's tokens are short
# base64/base64url strings, and a delivery is a JSON object, whose bytes always hold a "{".
_CRC_TOKEN = re.compile(r"[A-Za-z0-9+/=_.:-]{1,256}")


def crc_token_allowed(crc_token: str) -> bool:
    """Whether a CRC token is one X could send (and so can never be a delivery body)."""
    return _CRC_TOKEN.fullmatch(crc_token) is not None


def crc_response(crc_token: str) -> str:
    """The challenge answer X asks for when registering and re-checking the webhook."""
    if not crc_token_allowed(crc_token):
        raise ValueError("not a CRC token")
    digest = hmac_sha256(settings.UNLOCKDESK_X_CONSUMER_SECRET, crc_token.encode())
    return "sha256=" + base64.b64encode(digest).decode()


def parse(raw: dict[str, Any]) -> list[InboundMessage]:
    """The direct messages customers sent us in one activity event; our own sends and other
    event types are skipped. Raises BadPayload for a field of the wrong type."""
    own_id = str(raw.get("for_user_id", ""))
    users = payloads.obj(raw, "users")
    out = []
    for event in payloads.objects(raw, "direct_message_events"):
        if event.get("type") != "message_create":
            continue
        create = payloads.obj(event, "message_create")
        sender_id = payloads.ident(create, "sender_id")
        if sender_id == own_id:
            continue
        handle = payloads.text(payloads.obj(users, sender_id), "screen_name")
        data = payloads.obj(create, "message_data")
        text, files = _media(data, payloads.text(data, "text"))
        out.append(InboundMessage(
            channel=CHANNEL,
            external_id=payloads.ident(event, "id"),
            sender=SenderIdentity(ADDRESS_KIND, f"x:{sender_id}",
                                  display_name=f"@{handle}" if handle else ""),
            text=text,
            remote_files=files,
        ))
    return out


def _media(data: dict[str, Any], text: str) -> tuple[str, tuple[RemoteFile, ...]]:
    """The DM's picture, and its text without the t.co link X appends for it."""
    attachment = payloads.obj(data, "attachment")
    item = payloads.obj(attachment, "media")
    url = payloads.text(item, "media_url_https")
    if not url:
        return text, ()
    short = payloads.text(item, "url")
    if short:
        text = text.replace(short, "").strip()
    kind = payloads.text(item, "type")
    return text, (RemoteFile(url, "", "image/*" if kind in ("photo", "animated_gif") else ""),)


def fetch_file(remote: RemoteFile) -> FetchedFile:
    """The DM media URL, fetched with the app's token (DM media is not public)."""
    token = settings.UNLOCKDESK_X_BEARER_TOKEN
    if not token:
        raise FetchFailed("X is not configured", retryable=False)
    if not media.host_allowed(remote.ref, settings.UNLOCKDESK_X_MEDIA_HOSTS):
        raise FetchFailed("media URL is not on X's media hosts", retryable=False)
    return media.download(remote.ref, headers={"Authorization": f"Bearer {token}"})


def deliver(message: OutboundMessage) -> DeliveryResult:
    token = settings.UNLOCKDESK_X_BEARER_TOKEN
    if not token:
        return providers.not_configured("x", "X", message)
    base = settings.UNLOCKDESK_X_API_URL.rstrip("/")
    url = f"{base}/2/dm_conversations/with/{message.to.removeprefix('x:')}/messages"
    headers = {"Authorization": f"Bearer {token}"}
    sent = providers.post_json(url, {"text": providers.signed_text(message)}, headers=headers)
    for item in message.files:
        if not sent.delivered:
            break
        uploaded = media.upload_json(f"{base}/2/media/upload", {"media_category": "dm_image"},
                                     {"media": item}, headers=headers)
        if isinstance(uploaded, DeliveryResult):
            return uploaded
        media_id = _media_id(uploaded)
        if not media_id:
            return DeliveryResult(False, error="X gave no media id", retryable=True)
        sent = providers.post_json(url, {"attachments": [{"media_id": media_id}]}, headers=headers)
    return sent


def _media_id(answer: dict[str, Any]) -> str:
    data = answer.get("data")
    value = data.get("id") if isinstance(data, dict) else answer.get("media_id_string")
    return value if isinstance(value, str) else ""
