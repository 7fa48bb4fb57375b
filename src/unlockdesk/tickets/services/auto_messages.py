"""Automatic notices to the customer: status news that no agent wrote.

Each notice is an ordinary outbound message on the ticket (so it is in the conversation and
the timeline) delivered through the ticket's channel adapter, like an agent's reply, but it
does not change the ticket's status or assignee.
"""

from django.db import transaction

from unlockdesk.tickets import queue
from unlockdesk.tickets.events import announce
from unlockdesk.tickets.models import Delivery, Direction, Message, Ticket
from unlockdesk.tickets.services.inbound import append_message


def notify_customer(ticket: Ticket, text: str, *, topic: str = "notice") -> Message:
    """Append an automatic outbound message and deliver it after commit.

    Joins the caller's transaction: if the caller rolls back, no notice is stored or sent.
    `topic` is kept in the message headers (`auto`) so notices can be told apart.
    """
    text = text.strip()
    if not text:
        raise ValueError("empty notice")
    with transaction.atomic():
        locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
        message = append_message(
            locked,
            direction=Direction.OUTBOUND,
            channel=locked.channel,
            body_text=text,
            delivery=Delivery.PENDING,
            headers={"auto": topic},
        )
        queue.deliver_after_commit(message.pk)
    announce(locked, "message", direction=message.direction, messages=[message])
    return message
