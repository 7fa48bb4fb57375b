"""Telegram bot channel: webhook updates in, Bot API sendMessage out."""

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

ADDRESS_KIND = IdentityKind.TELEGRAM


class Unsupported(ValueError):
    """An update that carries no customer message (edits, joins, bot commands we ignore)."""


def parse(raw: dict[str, Any]) -> InboundMessage:
    message = raw.get("message") or raw.get("business_message")
    if not isinstance(message, dict):
        raise Unsupported("update without a message")
    chat = message.get("chat") or {}
    sender = message.get("from") or {}
    text = message.get("text") or message.get("caption") or ""
    if not text:
        raise Unsupported("message without text")
    name = " ".join(p for p in (sender.get("first_name"), sender.get("last_name")) if p)
    return InboundMessage(
        channel=Channel.TELEGRAM,
        external_id=f"{chat.get('id')}:{message.get('message_id')}",
        sender=SenderIdentity(IdentityKind.TELEGRAM, f"tg:{chat.get('id')}",
                              display_name=name or sender.get("username", "")),
        text=str(text)[:20000],
    )


def deliver(message: OutboundMessage) -> DeliveryResult:
    token = settings.UNLOCKDESK_TELEGRAM_BOT_TOKEN
    if providers.demo() and not token:
        return providers.to_outbox("telegram", message)
    if not token:
        return DeliveryResult(False, error="Telegram is not configured", retryable=False)
    chat_id = message.to.removeprefix("tg:")
    return providers.post_json(f"https://api.telegram.org/bot{token}/sendMessage",
                               {"chat_id": chat_id, "text": providers.signed_text(message)})
