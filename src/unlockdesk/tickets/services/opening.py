"""open_ticket(): another system of the exchange opens a case (the risk engine, say, for a
suspicious withdrawal), on behalf of an agent account that its API key acts as.

Unlike receive(), nothing was said by the customer: the text is an internal note for the
agents, and nothing is sent to the customer until an agent (or the integration) replies.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from unlockdesk.accounts.models import ExchangeAccount
from unlockdesk.integration_events import EventType
from unlockdesk.safety import services as safety
from unlockdesk.safety.audit import actor_of
from unlockdesk.staff.models import Agent, Role
from unlockdesk.tickets import triage
from unlockdesk.tickets.contacts import resolve_contact
from unlockdesk.tickets.events import announce, publish_message, publish_ticket, record_event
from unlockdesk.tickets.exceptions import TicketAccessDenied
from unlockdesk.tickets.models import Category, Delivery, Direction, EventKind, Priority, Queue, Ticket
from unlockdesk.tickets.numbering import new_number
from unlockdesk.tickets.services import sla_clock
from unlockdesk.tickets.services.assignment import route_new
from unlockdesk.tickets.services.inbound import append_message
from unlockdesk.tickets.types import Channel, SenderIdentity


@dataclass(frozen=True)
class NewTicket:
    subject: str
    text: str
    contact: SenderIdentity
    channel: Channel
    language: str = "zh-hans"
    category: Category | None = None
    priority: Priority | None = None
    queue: Queue | None = None
    account: ExchangeAccount | None = None


def open_ticket(new: NewTicket, *, by: Agent) -> Ticket:
    """Open a ticket with `new.text` as its first (internal) message; atomic.

    Category, priority and queue not given come from triage of the subject and text. The
    account is linked as given: the caller is a trusted system, not the customer.
    """
    if not (by.is_active and by.has_role(Role.AGENT)):
        raise TicketAccessDenied
    subject = safety.scan_inbound(new.subject)
    text = safety.scan_inbound(new.text)
    guess = triage.triage(subject.redacted, text.redacted)
    priority = new.priority or guess.priority
    now = timezone.now()
    flags = ["secret_redacted"] if subject.findings or text.findings else []
    with transaction.atomic():
        queue = new.queue or Queue.objects.get_or_create(
            slug=guess.queue_slug, defaults={"name": guess.queue_slug.title()})[0]
        contact = resolve_contact(new.contact, language=new.language)
        number = new_number()
        while Ticket.objects.filter(number=number).exists():
            number = new_number()
        ticket = Ticket.objects.create(
            number=number, subject=subject.redacted[:255], category=new.category or guess.category,
            priority=priority, channel=new.channel, language=new.language, contact=contact,
            account=new.account or contact.account, queue=queue, flags=flags,
            created_at=now, updated_at=now,
        )
        record_event(ticket, EventKind.CREATED, actor=actor_of(by), channel=new.channel,
                     category=ticket.category, priority=int(priority), flags=flags)
        due_times = sla_clock.start(ticket, now=now)
        message = append_message(ticket, save_also=due_times, direction=Direction.NOTE,
                                 channel=new.channel,
                                 body_text=text.redacted, author=by, redactions=list(text.kinds),
                                 delivery=Delivery.NOT_APPLICABLE)
    announce(ticket, "message", status="created", messages=[message])
    publish_ticket(ticket, EventType.TICKET_CREATED)
    publish_message(message)
    route_new(ticket.pk)
    return ticket
