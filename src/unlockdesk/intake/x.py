"""X (Twitter) direct messages: Account Activity webhook in, DM API out."""

import base64
import re
from typing import Any

from django.conf import settings

from unlockdesk.intake import payloads, providers
from unlockdesk.intake.signatures import hmac_sha256
from unlockdesk.tickets.types import (
    Channel,
    DeliveryResult,
    IdentityKind,
    InboundMessage,
    OutboundMessage,
    SenderIdentity,
)

CHANNEL = Channel.X
ADDRESS_KIND = IdentityKind.X

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
        out.append(InboundMessage(
            channel=CHANNEL,
            external_id=payloads.ident(event, "id"),
            sender=SenderIdentity(ADDRESS_KIND, f"x:{sender_id}",
                                  display_name=f"@{handle}" if handle else ""),
            text=payloads.text(payloads.obj(create, "message_data"), "text"),
        ))
    return out


def deliver(message: OutboundMessage) -> DeliveryResult:
    token = settings.UNLOCKDESK_X_BEARER_TOKEN
    if not token:
        return providers.not_configured("x", "X", message)
    participant = message.to.removeprefix("x:")
    return providers.post_json(
        f"https://api.x.com/2/dm_conversations/with/{participant}/messages",
        {"text": providers.signed_text(message)},
        headers={"Authorization": f"Bearer {token}"},
    )
