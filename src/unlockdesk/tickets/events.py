"""The ticket timeline and live announcements to the console, sent only after commit."""

import logging
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from unlockdesk.tickets.models import EventKind, Ticket, TicketEvent

log = logging.getLogger(__name__)

CONSOLE_GROUP = "console"


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
            async_to_sync(send_both)(layer)
        except Exception:  # the write has landed; a missed live update is recovered by reload
            log.exception("could not announce %s on %s", kind, ticket.number)

    transaction.on_commit(send)
