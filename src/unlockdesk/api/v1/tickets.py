"""/api/v1/tickets: list, read, open, update; the conversation: list, reply, internal note."""

import base64
import binascii
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.params import HeaderEx, P, Query, QueryEx
from pydantic import Field

from unlockdesk.accounts.identifiers import normalize_email, normalize_phone
from unlockdesk.accounts.models import ExchangeAccount
from unlockdesk.api import idempotency
from unlockdesk.api.auth import key_of, requires
from unlockdesk.api.errors import READ_ERRORS, WRITE_ERRORS, ApiError
from unlockdesk.api.scopes import Scope
from unlockdesk.api.v1.schemas import (
    ChannelName,
    ContactIn,
    MessageIn,
    MessageOut,
    MessagePage,
    PriorityNumber,
    SearchText,
    Slug,
    StatusName,
    TagName,
    TicketIn,
    TicketOut,
    TicketPage,
    TicketUpdate,
    Uid,
)
from unlockdesk.staff.models import Agent
from unlockdesk.tickets import selectors, services, tags
from unlockdesk.tickets.models import Category, Priority, Queue, Status
from unlockdesk.tickets.search import search_tickets
from unlockdesk.tickets.selectors import InboxFilters
from unlockdesk.tickets.types import Channel, IdentityKind, SenderIdentity

router = Router(tags=["tickets"])

IdempotencyKey = HeaderEx[str | None, P(
    alias="Idempotency-Key", max_length=255,
    description="Send the same key again to retry safely: the first answer is returned.")]

_CHANNEL_OF = {"email": Channel.EMAIL, "phone": Channel.PHONE, "uid": Channel.WEB,
               "telegram": Channel.TELEGRAM, "x": Channel.X, "facebook": Channel.FACEBOOK}


class TicketQuery(Schema):
    status: StatusName | None = None
    channel: ChannelName | None = None
    priority: PriorityNumber | None = None
    queue: Slug | None = None
    assignee: str | None = Field(None, max_length=150, pattern=r"^[\w.@+-]+$")
    account_uid: Uid | None = None
    contact_id: int | None = Field(None, ge=1, le=2**62)
    updated_after: datetime | None = None
    tag: TagName | None = None
    q: SearchText | None = Field(None, description=(
        "Full-text search, as in the console: words of the subject or messages (zh or en), a ticket "
        "number, UID, email, phone, social handle, transaction ID or hash."))
    cursor: str | None = Field(None, max_length=40)
    limit: int = Field(50, ge=1, le=100)


def _cursor(before_id: int | None) -> str | None:
    return base64.urlsafe_b64encode(str(before_id).encode()).decode() if before_id else None


def _before_id(cursor: str | None) -> int | None:
    if not cursor:
        return None
    try:
        return int(base64.urlsafe_b64decode(cursor.encode()).decode())
    except (ValueError, binascii.Error, UnicodeError):
        raise ApiError(422, "invalid_cursor", "the cursor is not one this API gave out") from None


# A search narrows the list to its best matches, at most this many, then pages through them.
SEARCH_LIMIT = 200


def _agent(request: HttpRequest) -> Agent:
    return key_of(request).agent


@router.get("/tickets", response={200: TicketPage, **READ_ERRORS}, **requires(Scope.TICKETS_READ))
def list_tickets(request: HttpRequest, query: Query[TicketQuery]) -> Any:
    """Tickets, newest first, filtered; follow `next_cursor` for more. Scope `tickets:read`."""
    agent = _agent(request)
    ids = None
    if (query.q or "").strip():  # the console's full-text search; the filters narrow its finds
        found = search_tickets(agent, query.q or "", InboxFilters(status="all"), limit=SEARCH_LIMIT)
        ids = tuple(hit.ticket.pk for hit in found.hits)
    filters = selectors.TicketListFilters(
        status=query.status or "", channel=query.channel or "", priority=query.priority,
        queue=query.queue or "", assignee=query.assignee or "", account_uid=query.account_uid or "",
        contact_id=query.contact_id, updated_after=query.updated_after, tag=query.tag or "", ids=ids)
    rows, next_before = selectors.tickets_page(agent, filters,
                                               before_id=_before_id(query.cursor), limit=query.limit)
    return TicketPage(items=[TicketOut.of(t) for t in rows], next_cursor=_cursor(next_before))


@router.get("/tickets/{number}", response={200: TicketOut, **READ_ERRORS},
            **requires(Scope.TICKETS_READ))
def get_ticket(request: HttpRequest, number: str) -> Any:
    """One ticket by its number (UD-XXXXXX). Scope `tickets:read`."""
    return TicketOut.of(selectors.ticket_for_agent(_agent(request), number))


def _queue(slug: str | None) -> Queue | None:
    if slug is None:
        return None
    queue = Queue.objects.filter(slug=slug).first()
    if queue is None:
        raise ApiError(422, "unknown_queue", f"no queue with slug {slug!r}")
    return queue


def _account(uid: str | None) -> ExchangeAccount | None:
    if uid is None:
        return None
    account = ExchangeAccount.objects.filter(uid=uid.strip()).first()
    if account is None:
        raise ApiError(422, "unknown_account", f"no exchange account with UID {uid!r}")
    return account


@router.post("/tickets", response={201: TicketOut, **WRITE_ERRORS}, **requires(Scope.TICKETS_WRITE))
def create_ticket(request: HttpRequest, payload: TicketIn, idempotency_key: IdempotencyKey = None) -> Any:
    """Open a ticket (e.g. the risk engine, for a suspicious withdrawal); `text` becomes an
    internal note. Category, priority and queue default to triage. Scope `tickets:write`."""

    def run() -> tuple[int, Schema]:
        new = services.NewTicket(
            subject=payload.subject, text=payload.text,
            contact=SenderIdentity(IdentityKind(payload.contact.kind), _address(payload.contact),
                                   display_name=payload.contact.display_name),
            channel=Channel(payload.channel) if payload.channel else _CHANNEL_OF[payload.contact.kind],
            language=payload.language,
            category=Category(payload.category) if payload.category else None,
            priority=Priority(payload.priority) if payload.priority else None,
            queue=_queue(payload.queue), account=_account(payload.account_uid))
        ticket = services.open_ticket(new, by=_agent(request))
        return 201, TicketOut.of(selectors.ticket_for_agent(_agent(request), ticket.number))

    return idempotency.once(request, idempotency_key, run)


def _address(contact: ContactIn) -> str:
    """The contact's address in the form the channels store it (so the same person is found)."""
    try:
        if contact.kind == "email":
            return normalize_email(contact.value)
        if contact.kind == "phone":
            return normalize_phone(contact.value)
    except ValidationError:
        raise ApiError(422, "invalid_contact", f"not a valid {contact.kind} address") from None
    return contact.value.strip()


def _assignee(reference: str | None) -> Agent | None:
    if reference is None:
        return None
    agent = Agent.objects.filter(Q(agent_number=reference) | Q(username=reference), is_active=True).first()
    if agent is None:
        raise ApiError(422, "unknown_agent", f"no active agent {reference!r}")
    return agent


@router.patch("/tickets/{number}", response={200: TicketOut, **WRITE_ERRORS},
              **requires(Scope.TICKETS_WRITE))
def update_ticket(request: HttpRequest, number: str, payload: TicketUpdate) -> Any:
    """Change status, priority, queue, assignee or tags (only the fields sent; `assignee: null`
    unassigns; `tags` is the whole new set). Each change is on the ticket's timeline. Scope
    `tickets:write`."""
    agent = _agent(request)
    ticket = selectors.ticket_for_agent(agent, number)
    sent = payload.model_fields_set
    queue = _queue(payload.queue) if "queue" in sent and payload.queue is not None else None
    assignee = _assignee(payload.assignee) if "assignee" in sent else None
    wanted_tags = None
    if "tags" in sent and payload.tags is not None:  # checked before anything changes
        try:
            wanted_tags = tags.normalize_all(payload.tags)
        except tags.InvalidTag as exc:
            raise ApiError(422, "invalid_tag", str(exc)) from None
    if "status" in sent and payload.status is not None:
        ticket = services.change_status(ticket, Status(payload.status), by=agent)
    if "priority" in sent and payload.priority is not None and payload.priority != ticket.priority:
        ticket = services.set_priority(ticket, Priority(payload.priority), by=agent)
    if queue is not None and queue.pk != ticket.queue_id:
        ticket = services.move_to_queue(ticket, queue, by=agent)
    if "assignee" in sent and (assignee.pk if assignee else None) != ticket.assignee_id:
        ticket = services.assign(ticket, assignee, by=agent)
    if wanted_tags is not None:
        ticket = services.set_tags(ticket, wanted_tags, by=agent)
    return TicketOut.of(selectors.ticket_for_agent(agent, number))


@router.get("/tickets/{number}/messages", response={200: MessagePage, **READ_ERRORS},
            **requires(Scope.TICKETS_READ))
def list_messages(request: HttpRequest, number: str, after: QueryEx[int, P(ge=0, le=2**31)] = 0,
                  limit: QueryEx[int, P(ge=1, le=200)] = 100) -> Any:
    """The conversation in order, internal notes included; `after` a sequence number returns
    what came since. Scope `tickets:read`."""
    ticket = selectors.ticket_for_agent(_agent(request), number)
    rows = list(selectors.messages_after(ticket, after, for_customer=False)[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return MessagePage(items=[MessageOut.of(m) for m in rows], next_after=rows[-1].seq if more else None)


@router.post("/tickets/{number}/messages", response={201: MessageOut, **WRITE_ERRORS},
             **requires(Scope.TICKETS_WRITE))
def add_message(request: HttpRequest, number: str, payload: MessageIn,
                idempotency_key: IdempotencyKey = None) -> Any:
    """A reply to the customer (through the same outbound guard as the console, sent on the
    ticket's channel) or, with `internal`, a note for agents. Scope `tickets:write`."""

    def run() -> tuple[int, Schema]:
        agent = _agent(request)
        ticket = selectors.ticket_for_agent(agent, number)
        if not payload.text.strip():
            raise ApiError(422, "empty_text", "the text is empty")
        if ticket.status == Status.CLOSED and not payload.internal:
            raise ApiError(409, "ticket_closed", "the ticket is closed; open a new one to write again")
        message = services.reply(ticket=ticket, agent=agent, text=payload.text, internal=payload.internal)
        return 201, MessageOut.of(message)

    return idempotency.once(request, idempotency_key, run)
