"""Threading: which existing ticket an inbound item continues, if any.

Explicit references come first (a ticket number the sender quotes, our own message ids in
reply headers), and count only when the sender is that ticket's contact: a stranger who quotes
someone else's ticket number gets a new, flagged ticket. Conversational channels (chat, phone,
social) continue the contact's open case on the same channel.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from unlockdesk.prepared import PreparedListRead, PreparedRead
from unlockdesk.tickets import read_ahead
from unlockdesk.tickets.models import Contact, Direction, Message, Status, Ticket
from unlockdesk.tickets.types import Channel, InboundMessage

CONVERSATIONAL = {Channel.CHAT, Channel.PHONE, Channel.TELEGRAM, Channel.X, Channel.FACEBOOK}
OPEN_CASE_WINDOW = timedelta(days=7)


# The number is unique: no ORDER BY (first() would add one). Prepared: every chat message
# makes this read, and compiling it was most of its cost.
_BY_NUMBER = PreparedRead(lambda number: Ticket.objects.filter(number=number).order_by()[:1], str)
_BY_NUMBER_LOCKED = PreparedRead(
    lambda number: Ticket.objects.select_for_update().filter(number=number).order_by()[:1], str)
# The messages a reply's References name: every email that is a reply reads them.
_REFERENCED = PreparedListRead(lambda channel, ids: Message.objects.filter(
    channel=channel, external_id__in=ids).select_related("ticket"), str)


@dataclass(frozen=True)
class ThreadMatch:
    ticket: Ticket | None
    flag: str = ""
    locked: bool = False  # `ticket` was read FOR UPDATE: the caller holds its row


def _belongs(ticket: Ticket, contact: Contact) -> bool:
    if ticket.contact_id == contact.pk:
        return True
    return bool(
        contact.account_id and ticket.account_id == contact.account_id
    )


def find_thread(inbound: InboundMessage, contact: Contact, *, lock: bool = False) -> ThreadMatch:
    """The ticket `inbound` continues. `lock`: read a ticket found by its number, or the
    contact's open case, FOR UPDATE, so the caller need not read it a second time to lock it
    (a round trip per chat message on PostgreSQL)."""
    tickets = Ticket.objects.select_for_update() if lock else Ticket.objects.all()
    referenced: list[Ticket] = []
    if inbound.ticket_number:
        ahead = read_ahead.ticket(inbound.ticket_number)  # read, and locked, for its batch
        by_number = _BY_NUMBER_LOCKED if lock else _BY_NUMBER
        referenced.extend([ahead] if ahead else by_number(inbound.ticket_number))
    if inbound.references:
        referenced.extend(message.ticket for message in _REFERENCED(
            str(inbound.channel), values=list(inbound.references)))
    for ticket in referenced:
        if _belongs(ticket, contact) and ticket.status != Status.CLOSED:
            return ThreadMatch(ticket, locked=lock and ticket.number == inbound.ticket_number)
    if referenced and not any(_belongs(t, contact) for t in referenced):
        return ThreadMatch(None, flag="quoted_foreign_ticket")
    if inbound.channel in CONVERSATIONAL:
        open_case = (
            tickets.filter(
                contact=contact,
                channel=inbound.channel,
                updated_at__gte=timezone.now() - OPEN_CASE_WINDOW,
            )
            .exclude(status__in=[Status.RESOLVED, Status.CLOSED])
            .order_by("-updated_at")
            .first()
        )
        if open_case:
            return ThreadMatch(open_case, locked=lock)
    return ThreadMatch(None)


def sent_messages(channel: Channel, message_pks: list[int]) -> list[Message]:
    """Our outbound messages on `channel` among `message_pks`, in the order given (ids a
    channel carries back to us: email's Message-IDs name the message)."""
    if not message_pks:
        return []
    found = {
        message.pk: message
        for message in Message.objects.select_related("ticket", "ticket__contact").filter(
            pk__in=message_pks, channel=channel, direction=Direction.OUTBOUND
        )
    }
    return [found[pk] for pk in message_pks if pk in found]


def ticket_number_for_sent(channel: Channel, message_pks: list[int]) -> str:
    """The ticket of the newest of our messages a reply refers to, or ''.

    Naming a ticket is not access to it: receive() still threads only when the sender is that
    ticket's contact (find_thread).
    """
    messages = sent_messages(channel, message_pks)
    return messages[-1].ticket.number if messages else ""
