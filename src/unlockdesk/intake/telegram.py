"""Telegram bot channel: webhook updates in (text, photos, documents), Bot API out
(sendMessage, sendPhoto for pictures, sendDocument for PDFs)."""

import urllib.parse
from typing import Any

from django.conf import settings

from unlockdesk.intake import media, payloads, providers
from unlockdesk.intake.payloads import BadPayload
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

CHANNEL = Channel.TELEGRAM
ADDRESS_KIND = IdentityKind.TELEGRAM
# What an agent may attach to a reply here (checked pictures are stored as JPEG or PNG).
OUTBOUND_FILE_TYPES = frozenset({"image/jpeg", "image/png", "application/pdf"})


def parse(raw: dict[str, Any]) -> list[InboundMessage]:
    """The customer message in one update, with its photo or document; none for updates that
    carry neither text nor a file (edits, joins, stickers). Raises BadPayload for a field of
    the wrong type."""
    message = raw.get("message") or raw.get("business_message")
    if message is None:
        return []
    if not isinstance(message, dict):
        raise BadPayload("message is not an object")
    text = payloads.text(message, "text") or payloads.text(message, "caption")
    files = _files(message)
    if not text and not files:
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
        remote_files=files,
    )]


def _files(message: dict[str, Any]) -> tuple[RemoteFile, ...]:
    """The largest size of a photo (Telegram sends several), and a document as sent."""
    photos = payloads.objects(message, "photo")
    if photos:
        largest = photos[-1]
        return (RemoteFile(payloads.ident(largest, "file_id"), "photo.jpg", "image/jpeg",
                           _size(largest)),)
    document = payloads.obj(message, "document")
    if document:
        return (RemoteFile(payloads.ident(document, "file_id"), payloads.text(document, "file_name"),
                           payloads.text(document, "mime_type"), _size(document)),)
    return ()


def _size(item: dict[str, Any]) -> int:
    value = item.get("file_size")
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def _bot_url(method: str) -> str:
    base = settings.UNLOCKDESK_TELEGRAM_API_URL.rstrip("/")
    return f"{base}/bot{settings.UNLOCKDESK_TELEGRAM_BOT_TOKEN}/{method}"


def fetch_file(remote: RemoteFile) -> FetchedFile:
    """getFile for the file's path, then the download with the bot token."""
    if not settings.UNLOCKDESK_TELEGRAM_BOT_TOKEN:
        raise FetchFailed("Telegram is not configured", retryable=False)
    answer = media.get_json(_bot_url("getFile") + "?" + urllib.parse.urlencode({"file_id": remote.ref}))
    result = answer.get("result")
    path = result.get("file_path") if isinstance(result, dict) else None
    if not answer.get("ok") or not isinstance(path, str) or not path or ".." in path:
        raise FetchFailed("Telegram gave no file path", retryable=False)
    base = settings.UNLOCKDESK_TELEGRAM_API_URL.rstrip("/")
    url = f"{base}/file/bot{settings.UNLOCKDESK_TELEGRAM_BOT_TOKEN}/{urllib.parse.quote(path)}"
    return media.download(url, filename=remote.filename or path.rsplit("/", 1)[-1])


def deliver(message: OutboundMessage) -> DeliveryResult:
    token = settings.UNLOCKDESK_TELEGRAM_BOT_TOKEN
    if not token:
        return providers.not_configured("telegram", "Telegram", message)
    chat_id = message.to.removeprefix("tg:")
    sent = providers.post_json(_bot_url("sendMessage"),
                               {"chat_id": chat_id, "text": providers.signed_text(message)})
    for item in message.files:
        if not sent.delivered:
            break
        method, field = ("sendPhoto", "photo") if item.is_image else ("sendDocument", "document")
        sent = media.post_multipart(_bot_url(method), {"chat_id": chat_id}, {field: item})
    return sent
