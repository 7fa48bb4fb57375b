"""Facebook Messenger channel: page webhook events in, Send API out."""

from typing import Any

from django.conf import settings

from unlockdesk.intake import payloads, providers
from unlockdesk.tickets.types import (
    Channel,
    DeliveryResult,
    IdentityKind,
    InboundMessage,
    OutboundMessage,
    SenderIdentity,
)

CHANNEL = Channel.FACEBOOK
ADDRESS_KIND = IdentityKind.FACEBOOK


def parse(raw: dict[str, Any]) -> list[InboundMessage]:
    """One webhook call can carry many messaging events; echoes of our own sends and events
    without text are skipped. Raises BadPayload for a field of the wrong type."""
    out = []
    for entry in payloads.objects(raw, "entry"):
        for event in payloads.objects(entry, "messaging"):
            message = payloads.obj(event, "message")
            text = payloads.text(message, "text")
            if message.get("is_echo") or not text:
                continue
            sender = payloads.obj(event, "sender")
            out.append(InboundMessage(
                channel=CHANNEL,
                external_id=payloads.ident(message, "mid"),
                sender=SenderIdentity(ADDRESS_KIND, f"fb:{payloads.ident(sender, 'id')}"),
                text=text,
            ))
    return out


def deliver(message: OutboundMessage) -> DeliveryResult:
    token = settings.UNLOCKDESK_FACEBOOK_PAGE_TOKEN
    if not token:
        return providers.not_configured("facebook", "Facebook", message)
    return providers.post_json(
        "https://graph.facebook.com/v19.0/me/messages",
        {"recipient": {"id": message.to.removeprefix("fb:")},
         "messaging_type": "RESPONSE", "message": {"text": providers.signed_text(message)}},
        headers={"Authorization": f"Bearer {token}"},
    )
