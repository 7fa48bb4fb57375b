"""X (Twitter) direct messages: Account Activity webhook in, DM API out."""

import base64
from typing import Any

from django.conf import settings

from unlockdesk.intake import providers
from unlockdesk.intake.signatures import hmac_sha256
from unlockdesk.tickets.types import (
    Channel,
    DeliveryResult,
    IdentityKind,
    InboundMessage,
    OutboundMessage,
    SenderIdentity,
)

ADDRESS_KIND = IdentityKind.X


def crc_response(crc_token: str) -> str:
    """The challenge answer X asks for when registering and re-checking the webhook."""
    digest = hmac_sha256(settings.UNLOCKDESK_X_CONSUMER_SECRET, crc_token.encode())
    return "sha256=" + base64.b64encode(digest).decode()


def parse_all(raw: dict[str, Any]) -> list[InboundMessage]:
    own_id = str(raw.get("for_user_id", ""))
    users = raw.get("users", {}) or {}
    out = []
    for event in raw.get("direct_message_events", []) or []:
        if event.get("type") != "message_create":
            continue
        create = event.get("message_create", {})
        sender_id = str(create.get("sender_id", ""))
        if not sender_id or sender_id == own_id:
            continue
        out.append(parse({**event, "users": users}))
    return out


def parse(raw: dict[str, Any]) -> InboundMessage:
    create = raw["message_create"]
    sender_id = str(create["sender_id"])
    handle = (raw.get("users", {}).get(sender_id) or {}).get("screen_name", "")
    return InboundMessage(
        channel=Channel.X,
        external_id=str(raw["id"]),
        sender=SenderIdentity(IdentityKind.X, f"x:{sender_id}",
                              display_name=f"@{handle}" if handle else ""),
        text=str(create.get("message_data", {}).get("text", ""))[:20000],
    )


def deliver(message: OutboundMessage) -> DeliveryResult:
    token = settings.UNLOCKDESK_X_BEARER_TOKEN
    if providers.demo() and not token:
        return providers.to_outbox("x", message)
    if not token:
        return DeliveryResult(False, error="X is not configured", retryable=False)
    participant = message.to.removeprefix("x:")
    return providers.post_json(
        f"https://api.x.com/2/dm_conversations/with/{participant}/messages",
        {"text": providers.signed_text(message)},
        headers={"Authorization": f"Bearer {token}"},
    )
