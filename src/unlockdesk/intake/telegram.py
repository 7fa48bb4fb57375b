"""Telegram bot channel: webhook updates in, Bot API sendMessage out."""

from typing import Any

from django.conf import settings

from unlockdesk.intake import payloads, providers
from unlockdesk.intake.payloads import BadPayload
from unlockdesk.tickets.types import (
    Channel,
    DeliveryResult,
    IdentityKind,
    InboundMessage,
    OutboundMessage,
    SenderIdentity,
)

CHANNEL = Channel.TELEGRAM
ADDRESS_KIND = IdentityKind.TELEGRAM


def parse(raw: dict[str, Any]) -> list[InboundMessage]:
    """The customer message in one update; none for updates that carry no text (edits, joins,
    stickers). Raises BadPayload for a field of the wrong type."""
    message = raw.get("message") or raw.get("business_message")
    if message is None:
        return []
    if not isinstance(message, dict):
        raise BadPayload("message is not an object")
    text = payloads.text(message, "text") or payloads.text(message, "caption")
    if not text:
        return []
    chat = payloads.obj(message, "chat")
    sender = payloads.obj(message, "from")
    chat_id = payloads.ident(chat, "id")
    name = " ".join(p for p in (payloads.text(sender, "first_name"), payloads.text(sender, "last_name")) if p)
    return [InboundMessage(
        channel=CHANNEL,
        external_id=f"{chat_id}:{payloads.ident(message, 'message_id')}",
        sender=SenderIdentity(ADDRESS_KIND, f"tg:{chat_id}",
                              display_name=name or payloads.text(sender, "username")),
        text=text,
    )]


def deliver(message: OutboundMessage) -> DeliveryResult:
    token = settings.UNLOCKDESK_TELEGRAM_BOT_TOKEN
    if not token:
        return providers.not_configured("telegram", "Telegram", message)
    chat_id = message.to.removeprefix("tg:")
    return providers.post_json(f"https://api.telegram.org/bot{token}/sendMessage",
                               {"chat_id": chat_id, "text": providers.signed_text(message)})
