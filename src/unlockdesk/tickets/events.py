"""The ticket timeline and live announcements to the console, sent only after commit."""

import logging
from typing import Any

from channels.layers import get_channel_layer
from django.db import transaction

from unlockdesk import integration_events
from unlockdesk.channel_layer import run_from_sync
from unlockdesk.integration_events import EventType
from unlockdesk.tickets.models import EventKind, Message, Ticket, TicketEvent

log = logging.getLogger(__name__)

CONSOLE_GROUP = "console"

# Console announcements that other systems hear as `ticket.updated` (outgoing webhooks).
_UPDATES = {"status", "assigned", "priority", "queue"}


def ticket_group(ticket_id: int) -> str:
    return f"ticket.{ticket_id}"


def record_event(ticket: Ticket, kind: EventKind, *, actor: str, **data: Any) -> TicketEvent:
    return TicketEvent.objects.create(ticket=ticket, kind=kind, actor=actor, data=data)


def announce(ticket: Ticket, kind: str, **data: Any) -> None:
    """Tell open consoles (and the ticket's live viewers) once the write has committed."""
    # `seq` (the ticket's newest message number) lets live viewers skip what they already show.
    payload = {"type": "ticket.event", "kind": kind, "ticket": ticket.number, "id": ticket.pk,
               "seq": ticket.last_seq, **data}

    async def send_both(layer: Any) -> None:
        await layer.group_send(CONSOLE_GROUP, payload)
        await layer.group_send(ticket_group(ticket.pk), payload)

    def send() -> None:
        layer = get_channel_layer()
        if layer is None:
            return
        try:  # one trip to the event loop: this thread waits for it, under load that costs
            run_from_sync(lambda: send_both(layer))
        except Exception:  # the write has landed; a missed live update is recovered by reload
            log.exception("could not announce %s on %s", kind, ticket.number)

    transaction.on_commit(send)
    if kind in _UPDATES:
        publish_ticket(ticket, EventType.TICKET_UPDATED, change=kind)


def ticket_summary(ticket: Ticket) -> dict[str, Any]:
    """What an outgoing webhook says about a ticket: no customer PII, the number to fetch more."""
    return {
        "number": ticket.number, "status": ticket.status, "priority": int(ticket.priority),
        "category": ticket.category, "channel": ticket.channel,
        "queue": ticket.queue.slug if ticket.queue_id and ticket.queue else None,
        "assignee": ticket.assignee.agent_number if ticket.assignee_id and ticket.assignee else None,
        "account_uid": ticket.account.uid if ticket.account_id and ticket.account else None,
    }


def publish_ticket(ticket: Ticket, event: EventType, **extra: Any) -> None:
    """`ticket.created` / `ticket.updated` for other systems, after commit."""
    integration_events.publish(event, {"ticket": ticket_summary(ticket), **extra})


def publish_message(message: Message) -> None:
    """`message.created` for other systems, after commit (text included: the subscriber is
    a system of the exchange that could read it through the API with `tickets:read`)."""
    integration_events.publish(EventType.MESSAGE_CREATED, {
        "ticket": message.ticket.number,
        "message": {"seq": message.seq, "direction": message.direction, "channel": message.channel,
                    "text": message.body_text, "created_at": message.created_at.isoformat()},
    })
