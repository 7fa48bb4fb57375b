"""Reads for the phone console: the callback queue and call logs, with permissions inside.

An agent sees the callbacks and calls of the tickets they may see (tickets.selectors'
`visible_tickets`); a call with no ticket yet (a caller who hung up in the menu) is shown
only with its contact, to anyone who may see one of that contact's tickets.
"""

from dataclasses import dataclass

from django.db.models import QuerySet

from unlockdesk.staff.models import Agent
from unlockdesk.tickets.exceptions import TicketAccessDenied
from unlockdesk.tickets.models import (
    Call,
    CallbackReason,
    CallbackRequest,
    CallbackState,
    Contact,
    Ticket,
)
from unlockdesk.tickets.selectors import visible_tickets

CONTACT_CALLS_SHOWN = 20


COUNT_CAP = 1000


@dataclass(frozen=True)
class CallbackQueue:
    rows: list[CallbackRequest]
    count: int  # at most COUNT_CAP: past it the page says "1000+"
    count_capped: bool


def _waiting(agent: Agent) -> QuerySet[CallbackRequest]:
    return CallbackRequest.objects.filter(state=CallbackState.OPEN,
                                          ticket__in=visible_tickets(agent))


def callback_queue(agent: Agent, *, limit: int = 200) -> CallbackQueue:
    """The open callbacks the agent may work, the `limit` most urgent: emergency freezes
    first, then by due time; and how many wait (counted up to COUNT_CAP).

    Two reads in due-time order (the freezes, few, then the rest) rather than one sort on
    "freeze first": each walks the (state, due_at) index and stops after `limit` rows."""
    waiting = _waiting(agent).select_related("ticket", "assignee").order_by("due_at", "id")
    freezes = list(waiting.filter(reason=CallbackReason.FREEZE)[:limit])
    others = list(waiting.exclude(reason=CallbackReason.FREEZE)[:limit - len(freezes)])
    count = _waiting(agent).order_by()[:COUNT_CAP + 1].count()
    return CallbackQueue(rows=freezes + others, count=min(count, COUNT_CAP),
                         count_capped=count > COUNT_CAP)


def callback_for_agent(agent: Agent, pk: int) -> CallbackRequest:
    callback = (CallbackRequest.objects.select_related("ticket")
                .filter(pk=pk, ticket__in=visible_tickets(agent)).first())
    if callback is None:
        raise TicketAccessDenied(str(pk))
    return callback


def calls_of_ticket(agent: Agent, ticket: Ticket) -> QuerySet[Call]:
    if not visible_tickets(agent).filter(pk=ticket.pk).exists():
        raise TicketAccessDenied(ticket.number)
    return ticket.calls.select_related("agent")


def calls_of_contact(agent: Agent, contact: Contact) -> list[Call]:
    """The contact's newest calls across the tickets the agent may see."""
    visible = visible_tickets(agent).filter(contact=contact)
    if not visible.exists():
        return []
    calls = (Call.objects.filter(contact=contact).select_related("agent", "ticket")
             .filter(ticket__in=visible) | Call.objects.filter(contact=contact, ticket__isnull=True))
    return list(calls.order_by("-started_at", "-id")[:CONTACT_CALLS_SHOWN])


def open_callback_of(ticket: Ticket) -> CallbackRequest | None:
    """The ticket's waiting callback (the caller has already checked the ticket's access)."""
    return ticket.callbacks.filter(state=CallbackState.OPEN).first()
