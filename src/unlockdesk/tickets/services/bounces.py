"""record_bounce(): a bounce is a delivery failure of the message it bounces, recorded on that
message.

Nothing of the bounce itself is stored as a conversation message and nothing is sent back.
Idempotent: the same bounce twice records one failure. A bounce must name the recipient of
the message it reports on: message ids may be guessable (email's are), so nobody can mark
every answer failed with forged reports.
"""

from collections.abc import Collection
from dataclasses import dataclass

from django.db import transaction

from unlockdesk.tickets.contacts import address_of
from unlockdesk.tickets.events import announce, record_event
from unlockdesk.tickets.models import Delivery, EventKind, Message
from unlockdesk.tickets.threads import sent_messages
from unlockdesk.tickets.types import Channel, IdentityKind

BOUNCED = "bounced"


@dataclass(frozen=True)
class BounceOutcome:
    recorded: bool
    ticket_number: str
    message_pk: int | None


def record_bounce(
    *, channel: Channel, address_kind: IdentityKind, message_pks: list[int],
    recipients: Collection[str], diagnostic: str,
) -> BounceOutcome:
    """Mark the newest of our messages named by `message_pks` whose recipient (the contact's
    `address_kind` address) is among `recipients` (lower case) failed.

    `recorded` is False when already recorded (ticket set) or when the bounce names none of
    our messages sent to an address it names (ticket '').
    """
    targets = [message for message in sent_messages(channel, message_pks)
               if address_of(message.ticket.contact, address_kind).lower() in recipients]
    if not targets:
        return BounceOutcome(False, "", None)
    target = targets[-1]
    with transaction.atomic():
        message = Message.objects.select_for_update().select_related("ticket").get(pk=target.pk)
        if message.delivery == Delivery.FAILED and message.delivery_error.startswith(BOUNCED):
            return BounceOutcome(False, message.ticket.number, message.pk)
        error = f"{BOUNCED}: {diagnostic}"[:255]
        Message.objects.filter(pk=message.pk).update(delivery=Delivery.FAILED, delivery_error=error)
        record_event(message.ticket, EventKind.DELIVERY, actor="system", message=message.pk,
                     delivered=False, bounced=True, error=error)
    announce(message.ticket, "delivery", message=message.pk, delivered=False)
    return BounceOutcome(True, message.ticket.number, message.pk)
