"""Reads for live chat, with the permission check inside each function.

A visitor reaches a conversation only with the token it was started with; an agent needs the
agent role. Unknown and foreign conversations raise the same ChatAccessDenied.
"""

import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from unlockdesk.chat.models import Conversation, State
from unlockdesk.staff.models import Agent, Role
from unlockdesk.tickets import selectors as ticket_selectors
from unlockdesk.tickets.contacts import address_of
from unlockdesk.tickets.models import Message, Ticket
from unlockdesk.tickets.types import IdentityKind

# The widget pings every 30 s; a customer socket silent for longer counts as gone.
PRESENCE_SECONDS = 90


class ChatAccessDenied(Exception):
    """Not this caller's conversation (also raised for unknown ids)."""


def _uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError as exc:
        raise ChatAccessDenied from exc


def _base() -> QuerySet[Conversation]:
    return Conversation.objects.select_related("ticket", "agent", "queue")


def conversation_for_visitor(visitor: str, public_id: str) -> Conversation:
    conversation = _base().filter(public_id=_uuid(public_id), visitor=visitor).first()
    if conversation is None:
        raise ChatAccessDenied
    return conversation


def require_agent(agent: object) -> Agent:
    if not (isinstance(agent, Agent) and agent.is_authenticated and agent.is_active
            and agent.has_role(Role.AGENT)):
        raise ChatAccessDenied
    return agent


def conversation_for_agent(agent: object, public_id: str) -> Conversation:
    require_agent(agent)
    conversation = _base().filter(public_id=_uuid(public_id)).first()
    if conversation is None or conversation.ticket_id is None:
        raise ChatAccessDenied
    return conversation


def live_chats(agent: object) -> QuerySet[Conversation]:
    """Waiting and active chats for the agents' live list: most urgent and oldest first.

    One row per ticket: a customer who comes back from another browser or device opens a
    second conversation on the same ticket, and the list shows the newest of them only.
    """
    require_agent(agent)
    live = [State.WAITING, State.ACTIVE]
    newer = Conversation.objects.filter(ticket_id=OuterRef("ticket_id"), state__in=live,
                                        id__gt=OuterRef("id"))
    return (
        _base().select_related("ticket__queue")
        .filter(state__in=live, ticket__isnull=False)
        .exclude(Exists(newer))
        .order_by("ticket__priority", "waiting_since", "id")
    )


def missed(ticket_id: int, after_seq: int, *, for_customer: bool, limit: int = 200) -> list[Message]:
    """What a client has not been shown yet, in order (at most `limit` at a time)."""
    ticket = Ticket(pk=ticket_id)
    return list(ticket_selectors.messages_after(ticket, after_seq, for_customer=for_customer)[:limit])


@dataclass(frozen=True)
class DeliveryTarget:
    online: bool
    email: str


def delivery_target(message_id: int) -> DeliveryTarget:
    """For the chat adapter: is the customer still connected, and where to mail them if not."""
    message = Message.objects.select_related("ticket__contact", "ticket__account").get(pk=message_id)
    ticket = message.ticket
    # A server that crashed never counted its sockets down: without a recent ping, they are gone.
    online = Conversation.objects.filter(
        ticket=ticket, customer_sockets__gt=0,
        customer_seen_at__gte=timezone.now() - timedelta(seconds=PRESENCE_SECONDS),
    ).exists()
    address = address_of(ticket.contact, IdentityKind.EMAIL)
    if not address and ticket.account is not None:
        address = ticket.account.email or ""
    return DeliveryTarget(online=online, email=address)
