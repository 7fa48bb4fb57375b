"""A bounce is a delivery failure of the message it bounces, recorded on that message.

Nothing of the bounce itself is stored as a conversation message and nothing is sent back.
Idempotent: the same bounce twice records one failure. A bounce must name the recipient of the
message it reports on.
"""

from dataclasses import dataclass

from django.db import transaction

from unlockdesk.intake.mail import ours
from unlockdesk.intake.mail.loops import Bounce
from unlockdesk.tickets.contacts import address_of
from unlockdesk.tickets.events import announce, record_event
from unlockdesk.tickets.models import Delivery, EventKind, Message
from unlockdesk.tickets.types import IdentityKind

BOUNCED = "bounced"


@dataclass(frozen=True)
class BounceOutcome:
    recorded: bool
    ticket_number: str
    message_pk: int | None


def record_bounce(bounce: Bounce) -> BounceOutcome:
    """Mark the bounced outbound message failed; `recorded` is False when already recorded
    (ticket set) or when the bounce names none of our messages (ticket '')."""
    # Our Message-IDs are guessable (<ud-{pk}@…>): a bounce counts only for a message whose
    # recipient it names, so nobody can mark every answer failed with forged reports.
    targets = [message for message in ours.sent_messages(bounce.original_ids)
               if address_of(message.ticket.contact, IdentityKind.EMAIL).lower() in bounce.addresses]
    if not targets:
        return BounceOutcome(False, "", None)
    target = targets[-1]
    with transaction.atomic():
        message = Message.objects.select_for_update().select_related("ticket").get(pk=target.pk)
        if message.delivery == Delivery.FAILED and message.delivery_error.startswith(BOUNCED):
            return BounceOutcome(False, message.ticket.number, message.pk)
        error = f"{BOUNCED}: {bounce.diagnostic}"[:255]
        Message.objects.filter(pk=message.pk).update(delivery=Delivery.FAILED, delivery_error=error)
        record_event(message.ticket, EventKind.DELIVERY, actor="system", message=message.pk,
                     delivered=False, bounced=True, error=error)
    announce(message.ticket, "delivery", message=message.pk, delivered=False)
    return BounceOutcome(True, message.ticket.number, message.pk)
