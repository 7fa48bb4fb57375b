"""Reads of tickets, with the permission filter inside each function.

A customer reaches a ticket only through their proven contact (or proven account); a ticket
number alone finds nothing. Unknown and foreign numbers raise the same TicketAccessDenied,
so a guess learns nothing.
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet

from unlockdesk.accounts.models import ExchangeAccount
from unlockdesk.staff.models import Agent, Role
from unlockdesk.tickets import numbering
from unlockdesk.tickets.exceptions import TicketAccessDenied
from unlockdesk.tickets.models import Contact, Direction, Message, Ticket, TicketEvent


@dataclass(frozen=True)
class InboxFilters:
    status: str = ""
    channel: str = ""
    priority: str = ""
    queue: str = ""
    mine: bool = False
    q: str = ""


def _require_agent(agent: Agent) -> None:
    if not (agent.is_authenticated and agent.is_active and agent.has_role(Role.AGENT)):
        raise TicketAccessDenied


def inbox_for(agent: Agent, filters: InboxFilters, page: int = 1) -> Page[Ticket]:
    """The console inbox, filtered and paginated on the server."""
    _require_agent(agent)
    tickets = Ticket.objects.select_related("contact", "assignee", "queue", "account")
    if filters.status == "open_all" or not filters.status:
        tickets = tickets.exclude(status__in=["resolved", "closed"])
    elif filters.status != "all":
        tickets = tickets.filter(status=filters.status)
    if filters.channel:
        tickets = tickets.filter(channel=filters.channel)
    if filters.priority:
        tickets = tickets.filter(priority=filters.priority)
    if filters.queue:
        tickets = tickets.filter(queue__slug=filters.queue)
    if filters.mine:
        tickets = tickets.filter(assignee=agent)
    if filters.q:
        number = numbering.normalize(filters.q)
        query = Q(subject__icontains=filters.q) | Q(account__uid=filters.q.strip())
        if number:
            query |= Q(number=number)
        tickets = tickets.filter(query)
    paginator = Paginator(tickets.order_by("priority", "-updated_at"),
                          settings.UNLOCKDESK_INBOX_PAGE_SIZE)
    return paginator.get_page(page)


def ticket_for_agent(agent: Agent, number: str) -> Ticket:
    _require_agent(agent)
    ticket = (
        Ticket.objects.select_related("contact", "account", "assignee", "queue")
        .filter(number=numbering.normalize(number))
        .first()
    )
    if ticket is None:
        raise TicketAccessDenied
    return ticket


def _customer_scope(contact: Contact, account: ExchangeAccount | None) -> Q:
    scope = Q(contact=contact)
    if account is not None:
        scope |= Q(account=account)
    return scope


def tickets_of(contact: Contact, account: ExchangeAccount | None = None) -> QuerySet[Ticket]:
    """The customer's own tickets: by their contact, or by the account they proved."""
    return Ticket.objects.filter(_customer_scope(contact, account)).order_by("-updated_at")


def ticket_for_customer(
    contact: Contact, account: ExchangeAccount | None, number: str
) -> Ticket:
    ticket = tickets_of(contact, account).filter(number=numbering.normalize(number)).first()
    if ticket is None:
        raise TicketAccessDenied
    return ticket


def conversation(ticket: Ticket, *, for_customer: bool) -> QuerySet[Message]:
    """Messages in order; customers never see internal notes."""
    messages = ticket.messages.select_related("author").prefetch_related("attachments")
    if for_customer:
        messages = messages.exclude(direction=Direction.NOTE)
    return messages.order_by("seq")


def timeline(ticket: Ticket) -> QuerySet[TicketEvent]:
    return ticket.events.order_by("created_at", "id")


def messages_after(ticket: Ticket, seq: int, *, for_customer: bool) -> QuerySet[Message]:
    """What a reconnecting client missed since the last sequence number it saw."""
    return conversation(ticket, for_customer=for_customer).filter(seq__gt=seq)


@dataclass(frozen=True)
class TicketListFilters:
    """Filters of the API's ticket list; empty values do not filter."""

    status: str = ""
    channel: str = ""
    priority: int | None = None
    queue: str = ""
    assignee: str = ""
    account_uid: str = ""
    contact_id: int | None = None
    updated_after: datetime | None = None
    q: str = ""


def _quick_search(q: str) -> Q:
    """A ticket number, an account UID, or words of the subject (full-text search replaces it)."""
    query = Q(subject__icontains=q) | Q(account__uid=q.strip())
    number = numbering.normalize(q)
    if number:
        query |= Q(number=number)
    return query


def tickets_page(agent: Agent, filters: TicketListFilters, *, before_id: int | None,
                 limit: int) -> tuple[list[Ticket], int | None]:
    """Newest first, keyset-paginated on the id (stable while tickets are added or change):
    the page and the `before_id` of the next page, or None at the end."""
    _require_agent(agent)
    tickets = Ticket.objects.select_related("contact", "assignee", "queue", "account")
    if filters.status:
        tickets = tickets.filter(status=filters.status)
    if filters.channel:
        tickets = tickets.filter(channel=filters.channel)
    if filters.priority is not None:
        tickets = tickets.filter(priority=filters.priority)
    if filters.queue:
        tickets = tickets.filter(queue__slug=filters.queue)
    if filters.assignee:
        tickets = tickets.filter(Q(assignee__agent_number=filters.assignee)
                                 | Q(assignee__username=filters.assignee))
    if filters.account_uid:
        tickets = tickets.filter(account__uid=filters.account_uid)
    if filters.contact_id is not None:
        tickets = tickets.filter(contact_id=filters.contact_id)
    if filters.updated_after is not None:
        tickets = tickets.filter(updated_at__gt=filters.updated_after)
    if filters.q.strip():
        tickets = tickets.filter(_quick_search(filters.q))
    if before_id is not None:
        tickets = tickets.filter(pk__lt=before_id)
    rows = list(tickets.order_by("-pk")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (rows[-1].pk if more and rows else None)


def contact_for_agent(agent: Agent, contact_id: int) -> Contact:
    _require_agent(agent)
    contact = (Contact.objects.select_related("account").prefetch_related("identities")
               .filter(pk=contact_id).first())
    if contact is None:
        raise TicketAccessDenied
    return contact


def account_for_agent(agent: Agent, uid: str) -> ExchangeAccount:
    """An exchange account as agents see it beside a ticket (the caller shows it masked)."""
    _require_agent(agent)
    account = ExchangeAccount.objects.filter(uid=uid.strip()).first()
    if account is None:
        raise TicketAccessDenied
    return account
