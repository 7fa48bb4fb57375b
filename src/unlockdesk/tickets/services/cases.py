"""open_case(): an inbound item that must land at a given priority in a given queue.

For the few callers that know more than triage does, such as an emergency freeze (always P1,
always the security team), so they reach tickets through the pipeline and this service
instead of writing Ticket rows themselves.
"""

from django.db import transaction

from unlockdesk.tickets.models import Priority, Queue, Ticket
from unlockdesk.tickets.services.inbound import Receipt, receive
from unlockdesk.tickets.services.workflow import move_to_queue, set_priority
from unlockdesk.tickets.types import InboundMessage


def open_case(inbound: InboundMessage, *, priority: Priority, queue_slug: str) -> Receipt:
    """receive() the item, then put its ticket at `priority` in the queue `queue_slug`.

    Idempotent like receive(): a retried item returns its first receipt, and a ticket already
    at that priority and in that queue is not touched (no duplicate timeline entries). The
    priority is raised or lowered to exactly `priority`; the queue is created on first use.
    """
    receipt = receive(inbound)
    with transaction.atomic():
        ticket = Ticket.objects.get(pk=receipt.ticket_id)
        if ticket.priority != priority:
            ticket = set_priority(ticket, priority, by=None)
        queue, _created = Queue.objects.get_or_create(slug=queue_slug,
                                                      defaults={"name": queue_slug.title()})
        if ticket.queue_id != queue.pk:
            move_to_queue(ticket, queue, by=None)
    return receipt
