"""Facebook Messenger channel: page webhook events in (text and attachments), Send API out
(text, and pictures or PDFs uploaded with the message)."""

import json
from typing import Any

from django.conf import settings

from unlockdesk.intake import media, payloads, providers
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

CHANNEL = Channel.FACEBOOK
ADDRESS_KIND = IdentityKind.FACEBOOK
OUTBOUND_FILE_TYPES = frozenset({"image/jpeg", "image/png", "application/pdf"})
# Attachment types that carry a file; locations, stickers' likes and fallbacks carry none.
_FILE_TYPES = {"image", "file", "video", "audio"}


def parse(raw: dict[str, Any]) -> list[InboundMessage]:
    """One webhook call can carry many messaging events; echoes of our own sends and events
    with neither text nor a file are skipped. Raises BadPayload for a field of the wrong type."""
    out = []
    for entry in payloads.objects(raw, "entry"):
        for event in payloads.objects(entry, "messaging"):
            message = payloads.obj(event, "message")
            text = payloads.text(message, "text")
            files = _files(message)
            if message.get("is_echo") or not (text or files):
                continue
            sender = payloads.obj(event, "sender")
            out.append(InboundMessage(
                channel=CHANNEL,
                external_id=payloads.ident(message, "mid"),
                sender=SenderIdentity(ADDRESS_KIND, f"fb:{payloads.ident(sender, 'id')}"),
                text=text,
                remote_files=files,
            ))
    return out


def _files(message: dict[str, Any]) -> tuple[RemoteFile, ...]:
    out = []
    for item in payloads.objects(message, "attachments"):
        if payloads.text(item, "type") not in _FILE_TYPES:
            continue
        url = payloads.text(payloads.obj(item, "payload"), "url")
        if url:
            out.append(RemoteFile(url, "", "image/*" if item["type"] == "image" else ""))
    return tuple(out)


def fetch_file(remote: RemoteFile) -> FetchedFile:
    """The attachment's URL on Facebook's CDN, fetched with the page token."""
    token = settings.UNLOCKDESK_FACEBOOK_PAGE_TOKEN
    if not token:
        raise FetchFailed("Facebook is not configured", retryable=False)
    if not media.host_allowed(remote.ref, settings.UNLOCKDESK_FACEBOOK_MEDIA_HOSTS):
        raise FetchFailed("attachment URL is not on Facebook's media hosts", retryable=False)
    return media.download(remote.ref, headers={"Authorization": f"Bearer {token}"})


def deliver(message: OutboundMessage) -> DeliveryResult:
    token = settings.UNLOCKDESK_FACEBOOK_PAGE_TOKEN
    if not token:
        return providers.not_configured("facebook", "Facebook", message)
    url = settings.UNLOCKDESK_FACEBOOK_GRAPH_URL.rstrip("/") + "/me/messages"
    headers = {"Authorization": f"Bearer {token}"}
    recipient = json.dumps({"id": message.to.removeprefix("fb:")})
    sent = providers.post_json(
        url, {"recipient": {"id": message.to.removeprefix("fb:")},
              "messaging_type": "RESPONSE", "message": {"text": providers.signed_text(message)}},
        headers=headers,
    )
    for item in message.files:
        if not sent.delivered:
            break
        attachment = {"attachment": {"type": "image" if item.is_image else "file",
                                     "payload": {"is_reusable": False}}}
        sent = media.post_multipart(
            url, {"recipient": recipient, "messaging_type": "RESPONSE", "message": json.dumps(attachment)},
            {"filedata": item}, headers=headers)
    return sent
