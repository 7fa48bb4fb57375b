"""The JSON frames the chat sockets send: one place that decides what each side may see."""

from typing import Any

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from unlockdesk.accounts.types import LockReason
from unlockdesk.chat.identity import masked_label
from unlockdesk.chat.models import Conversation
from unlockdesk.safety.labels import redactions_in_words
from unlockdesk.tickets.models import Direction, Message


def error(code: str, message: str) -> dict[str, Any]:
    return {"type": "error", "code": code, "message": message}


def lock_frame(event: dict[str, Any]) -> dict[str, Any]:
    """A lock placed on or lifted from the account of a ticket an agent has open (agents only)."""
    reason = str(event.get("reason", ""))
    label = str(LockReason(reason).label) if reason in LockReason.values else reason
    text = (_("Account lock lifted: %(reason)s") if event.get("change") == "lifted"
            else _("Account lock placed: %(reason)s")) % {"reason": label}
    return {"type": "lock", "ticket": event.get("ticket"), "change": event.get("change"),
            "reason": reason, "text": text}


def client_id_of(message: Message) -> str:
    external = message.external_id
    if external.startswith("chat:"):
        return external.rsplit(":", 1)[-1]
    if external.startswith("console:"):
        return external.removeprefix("console:")
    return ""


def message_frame(message: Message, *, for_agent: bool = False) -> dict[str, Any]:
    """A stored message as a client sees it. Agent messages always carry name and 工号."""
    if message.direction == Direction.INBOUND:
        author = ""
    elif message.author is not None:
        author = message.author.public_name
    else:
        author = _("%(brand)s Support") % {"brand": settings.BRAND.name(get_language() or "en")}
    return {
        "type": "message",
        "seq": message.seq,
        "direction": message.direction,
        # What was removed, said in words (the stored text keeps a typed placeholder).
        "text": redactions_in_words(message.body_text),
        "author": author,
        "at": message.created_at.isoformat(),
        "client_id": client_id_of(message),
        "attachments": [
            {"id": a.pk, "name": a.filename, "size": a.size, "content_type": a.content_type,
             **({"url": f"/console/attachments/{a.pk}/"} if for_agent else {})}
            for a in _attachments(message)
        ],
    }


def live_frames(message: Message) -> dict[str, Any]:
    """What a new message's announcement carries to the ticket's chat sockets (registered with
    tickets.hooks): its frame for each side, so sockets that are up to date read nothing.
    Internal notes have no customer frame."""
    return {
        "seq": message.seq,
        "customer": None if message.direction == Direction.NOTE else message_frame(message),
        "agent": message_frame(message, for_agent=True),
    }


def _attachments(message: Message) -> list[Any]:
    """Prefetched attachments, or none when the caller knows there are none (no query)."""
    cache = getattr(message, "_prefetched_objects_cache", {})
    return list(cache["attachments"]) if "attachments" in cache else []


def summary(conversation: Conversation) -> dict[str, Any]:
    """One row of the agents' live list."""
    ticket = conversation.ticket
    return {
        "id": str(conversation.public_id),
        "state": conversation.state,
        "state_label": str(conversation.get_state_display()),
        "ticket": ticket.number if ticket else "",
        "subject": ticket.subject if ticket else "",
        "priority": ticket.get_priority_display() if ticket else "",
        "category": ticket.get_category_display() if ticket else "",
        "queue": conversation.queue.slug if conversation.queue else "",
        "agent": conversation.agent.public_name if conversation.agent else "",
        "agent_id": conversation.agent_id,
        "customer": masked_label(conversation.identity_kind, conversation.identity_value),
        "verified": conversation.verified,
        "online": conversation.customer_sockets > 0,
        "waiting_since": conversation.waiting_since.isoformat() if conversation.waiting_since else "",
    }
