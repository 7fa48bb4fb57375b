"""Facebook Messenger channel: page webhook events in, Send API out."""

from typing import Any

from django.conf import settings

from unlockdesk.intake import providers
from unlockdesk.tickets.types import (
    Channel,
    DeliveryResult,
    IdentityKind,
    InboundMessage,
    OutboundMessage,
    SenderIdentity,
)

ADDRESS_KIND = IdentityKind.FACEBOOK


def parse_all(raw: dict[str, Any]) -> list[InboundMessage]:
    """One webhook call can carry many messaging events; echoes of our own sends are skipped."""
    out = []
    for entry in raw.get("entry", []) or []:
        for event in entry.get("messaging", []) or []:
            message = event.get("message") or {}
            if message.get("is_echo") or not message.get("mid") or not message.get("text"):
                continue
            out.append(parse(event))
    return out


def parse(raw: dict[str, Any]) -> InboundMessage:
    message = raw["message"]
    return InboundMessage(
        channel=Channel.FACEBOOK,
        external_id=str(message["mid"]),
        sender=SenderIdentity(IdentityKind.FACEBOOK, f"fb:{raw['sender']['id']}"),
        text=str(message["text"])[:20000],
    )


def deliver(message: OutboundMessage) -> DeliveryResult:
    token = settings.UNLOCKDESK_FACEBOOK_PAGE_TOKEN
    if providers.demo() and not token:
        return providers.to_outbox("facebook", message)
    if not token:
        return DeliveryResult(False, error="Facebook is not configured", retryable=False)
    return providers.post_json(
        "https://graph.facebook.com/v19.0/me/messages",
        {"recipient": {"id": message.to.removeprefix("fb:")},
         "messaging_type": "RESPONSE", "message": {"text": providers.signed_text(message)}},
        headers={"Authorization": f"Bearer {token}"},
    )
