"""Reads of tickets, with the permission filter inside each function.

A customer reaches a ticket only through their proven contact (or proven account); a ticket
number alone finds nothing. Unknown and foreign numbers raise the same TicketAccessDenied,
so a guess learns nothing.
"""

from base64 import urlsafe_b64decode, urlsafe_b64encode
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from time import monotonic

from django.conf import settings
from django.db.models import (
    DateTimeField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Value,
    prefetch_related_objects,
)
from django.utils import timezone

from unlockdesk.accounts.models import ExchangeAccount
from unlockdesk.staff.models import Agent, Role
from unlockdesk.tickets import hooks, numbering
from unlockdesk.tickets.exceptions import TicketAccessDenied
from unlockdesk.tickets.models import (
    DONE_RANK,
    Attachment,
    Contact,
    Direction,
    Message,
    Priority,
    Queue,
    Status,
    Ticket,
    TicketEvent,
)


@dataclass(frozen=True)
class InboxFilters:
    status: str = ""
    channel: str = ""
    priority: str = ""
    queue: str = ""
    mine: bool = False
    q: str = ""
    created_from: date | None = None
    created_to: date | None = None
    tag: str = ""
    # A named condition registered in tickets.hooks ("sla_1h", "second_reviewer"); unknown: none.
    when: str = ""


@dataclass(frozen=True)
class InboxPage:
    """One page of the inbox. `count` stops at COUNT_LIMIT: the console shows "1000+" rather
    than counting a million rows on every page view."""

    tickets: list[Ticket]
    next_cursor: str
    count: int
    count_capped: bool
    first: bool


COUNT_LIMIT = 1000
_PRIORITIES = sorted(Priority.values)


def _require_agent(agent: Agent) -> None:
    if not (agent.is_authenticated and agent.is_active and agent.has_role(Role.AGENT)):
        raise TicketAccessDenied


# The ticket page asks "may this agent see it?" in half a dozen places; the agent's queues are
# read once for all of them. A long-lived holder of an Agent (a socket's consumer) reads them
# again after this many seconds, so a change of queues reaches an open console that soon.
QUEUE_IDS_FRESH_S = 2.0
_QUEUE_IDS = "_unlockdesk_queue_ids"


def agent_queue_ids(agent: Agent) -> list[int]:
    """The ids of the queues `agent` works, read at most once per QUEUE_IDS_FRESH_S."""
    now = monotonic()
    read_at, ids = agent.__dict__.get(_QUEUE_IDS, (-QUEUE_IDS_FRESH_S, []))
    if now - read_at >= QUEUE_IDS_FRESH_S:
        ids = list(Queue.objects.filter(agents=agent).values_list("pk", flat=True))
        agent.__dict__[_QUEUE_IDS] = (now, ids)
    return ids


def forget_queue_ids(agent: Agent) -> None:
    """Drop the agent's remembered queues (after changing them through this instance)."""
    agent.__dict__.pop(_QUEUE_IDS, None)


def visible_tickets(agent: Agent) -> QuerySet[Ticket]:
    """Every ticket `agent` may see: an agent who works named queues sees only those queues'
    tickets; supervisors (and agents in no queue, as on a small desk) see all."""
    _require_agent(agent)
    tickets = Ticket.objects.all()
    if not agent.has_role(Role.SUPERVISOR):
        queue_ids = agent_queue_ids(agent)
        if queue_ids:
            tickets = tickets.filter(queue_id__in=queue_ids)
    return tickets


def filtered_tickets(agent: Agent, filters: InboxFilters, *, default_status: str = "open_all",
                     ) -> QuerySet[Ticket]:
    """The tickets `agent` may see that pass `filters`, unordered (callers choose the order)."""
    tickets = visible_tickets(agent)
    status = filters.status or default_status
    if status == "open_all":
        # Open means a rank below DONE_RANK (INBOX_RANK is computed from the status): one range
        # of every (filter, rank, updated_at) index, so the bounded count reads index entries
        # only, where `status NOT IN (...)` would read each row.
        tickets = tickets.filter(inbox_rank__lt=DONE_RANK)
    elif status != "all":
        tickets = tickets.filter(status=status)
    if filters.channel:
        tickets = tickets.filter(channel=filters.channel)
    if filters.priority:
        tickets = tickets.filter(priority=filters.priority)
    if filters.queue:
        # The queue's id, not a join on its slug: the (queue, inbox_rank, updated_at) index then
        # serves the page.
        queue_id = Queue.objects.filter(slug=filters.queue).values_list("pk", flat=True).first()
        tickets = tickets.filter(queue_id=queue_id) if queue_id else tickets.none()
    if filters.mine:
        tickets = tickets.filter(assignee=agent)
    # Day bounds as instants (not `created_at__date`, which wraps the column in a function
    # and so reads every row); days are the desk's time zone's.
    if filters.tag:
        tickets = tickets.filter(tags__name=filters.tag.strip().lower())
    if filters.created_from:
        tickets = tickets.filter(created_at__gte=_start_of(filters.created_from))
    if filters.created_to:
        tickets = tickets.filter(created_at__lt=_start_of(filters.created_to + timedelta(days=1)))
    if filters.when:
        condition = hooks.inbox_condition(filters.when)
        tickets = tickets.filter(condition.where()) if condition else tickets.none()
    return tickets


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _encode_cursor(ticket: Ticket) -> str:
    raw = f"{ticket.inbox_rank}|{ticket.updated_at.isoformat()}|{ticket.pk}"
    return urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[int, datetime, int] | None:
    """(inbox rank, updated_at, id) of the last row shown, or None for a malformed cursor."""
    try:
        raw = urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        rank, updated, pk = raw.split("|")
        return int(rank), datetime.fromisoformat(updated), int(pk)
    except (ValueError, UnicodeDecodeError):
        return None


_ATTENTION: dict[str, int] = {Status.NEW: 0, Status.OPEN: 0, Status.WAITING_US: 0,
                              Status.WAITING_CUSTOMER: 10, Status.RESOLVED: 20, Status.CLOSED: 20}


def _ranks(filters: InboxFilters, default_status: str = "open_all") -> list[int]:
    """The inbox ranks (tickets.models.INBOX_RANK) a page may hold under `filters`, in order:
    a status, priority or "mine" filter leaves fewer buckets to read."""
    status = filters.status or default_status
    if status in _ATTENTION:
        attentions = [_ATTENTION[status]]
    elif status == "open_all":
        attentions = [0, 10]
    else:
        attentions = [0, 10, 20]
    priorities = [int(filters.priority)] if filters.priority.isdigit() else _PRIORITIES
    assigned = (1,) if filters.mine else (0, 1)  # "mine" holds no unassigned ticket
    return [a + 2 * p + s for a in attentions for p in priorities for s in assigned]


def inbox_for(agent: Agent, filters: InboxFilters, *, after: str = "",
              limit: int | None = None) -> InboxPage:
    """The console inbox, what needs a person first (tickets.models.INBOX_RANK: waiting on us
    before waiting on the customer, then priority, unassigned before assigned), newest first
    within each, resuming after the `after` cursor.

    Keyset pagination: each page reads one rank at a time with `updated_at <= last`, so an
    index (rank or queue+rank, updated_at, id) delivers the rows in order and a deep page costs
    what the first does. At most one query per rank, one bounded count; no per-row queries
    (contact, assignee, queue and account come in the same query).
    """
    size = limit or settings.UNLOCKDESK_INBOX_PAGE_SIZE
    base = filtered_tickets(agent, filters)
    position = _decode_cursor(after) if after else None
    rows: list[Ticket] = []
    ranks = _ranks(filters)
    for rank in ranks:
        if position and rank < position[0]:
            continue
        page = base.filter(inbox_rank=rank)
        if position and rank == position[0]:
            _, updated, pk = position
            page = page.filter(updated_at__lte=updated).exclude(updated_at=updated, pk__gte=pk)
        want = size + 1 - len(rows)
        if filters.created_from or filters.created_to:
            page = Ticket.objects.filter(pk__in=_ids_in_created_range(page, want))
        rows += list(page.select_related("contact", "assignee", "queue", "account")
                     .order_by("-updated_at", "-pk")[:want])
        if len(rows) > size:
            break
    prefetch_related_objects(rows, "tags")  # one query for the page, not one per row
    more = len(rows) > size
    rows = rows[:size]
    count, capped = _bounded_count(base, ranks)
    return InboxPage(
        tickets=rows,
        next_cursor=_encode_cursor(rows[-1]) if more else "",
        count=count,
        count_capped=capped,
        first=not after,
    )


def _bounded_count(tickets: QuerySet[Ticket], ranks: list[int]) -> tuple[int, bool]:
    # The ranks the filters allow, spelled out: a priority or "mine" filter then counts a few
    # ranges of the (…, inbox_rank, updated_at) index, not every open ticket's entry.
    count = tickets.filter(inbox_rank__in=ranks).order_by().values("pk")[: COUNT_LIMIT + 1].count()
    return min(count, COUNT_LIMIT), count > COUNT_LIMIT


def inbox_count(agent: Agent, filters: InboxFilters) -> tuple[int, bool]:
    """(count up to COUNT_LIMIT, whether there are more) of the tickets the inbox shows under
    `filters`: the saved views' sidebar counts the way the inbox page does."""
    return _bounded_count(filtered_tickets(agent, filters), _ranks(filters))


def inbox_row_for(agent: Agent, filters: InboxFilters, ticket_id: int) -> Ticket | None:
    """One ticket as an inbox row, if `agent` may see it and it passes `filters` (the live
    inbox pushes only such rows); None otherwise."""
    return (filtered_tickets(agent, filters).filter(pk=ticket_id)
            .select_related("contact", "assignee", "queue", "account")
            .prefetch_related("tags").first())


def ticket_for_agent(agent: Agent, number: str) -> Ticket:
    ticket = (
        visible_tickets(agent).select_related("contact", "account", "assignee", "queue")
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
    messages = ticket.messages.select_related("author").prefetch_related("attachments", "remote_files")
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
    tag: str = ""
    # The tickets a full-text search found (tickets.search.search_tickets), or None for all.
    ids: tuple[int, ...] | None = None


def tickets_page(agent: Agent, filters: TicketListFilters, *, before_id: int | None,
                 limit: int) -> tuple[list[Ticket], int | None]:
    """Newest first, keyset-paginated on the id (stable while tickets are added or change):
    the page and the `before_id` of the next page, or None at the end."""
    tickets = (visible_tickets(agent).select_related("contact", "assignee", "queue", "account")
               .prefetch_related("tags"))
    if filters.tag:
        tickets = tickets.filter(tags__name=filters.tag.strip().lower())
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
    if filters.ids is not None:
        tickets = tickets.filter(pk__in=filters.ids)
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


def open_tickets_of_account(account: ExchangeAccount) -> QuerySet[Ticket]:
    """Tickets of the account not yet resolved or closed; for trusted callers (CLI, staff)."""
    return (Ticket.objects.filter(account=account)
            .exclude(status__in=[Status.RESOLVED, Status.CLOSED]).order_by("-updated_at"))


# --- customer context on the console ticket page (reports) ---------------------------------

@dataclass(frozen=True)
class OtherTickets:
    tickets: list[Ticket]
    total: int


def other_tickets_for_agent(agent: Agent, ticket: Ticket, *, limit: int = 10) -> OtherTickets:
    """The same customer's other tickets (by contact or proven account) that `agent` may see,
    newest first, in two queries whatever their number."""
    others = (visible_tickets(agent).filter(_customer_scope(ticket.contact, ticket.account))
              .exclude(pk=ticket.pk))
    shown = list(others.select_related("queue", "assignee").order_by("-updated_at", "-id")[:limit])
    total = len(shown) if len(shown) < limit else others.count()
    return OtherTickets(shown, total)


def works_queue(agent: Agent, queue: Queue | None) -> bool:
    """visible_tickets' rule for one queue: an agent in named queues works only those;
    supervisors and agents in no queue work every queue."""
    if agent.has_role(Role.SUPERVISOR):
        return True
    own = {q.pk for q in agent.queues.all()}  # prefetched by assignable_agents
    return not own or (queue is not None and queue.pk in own)


def assignable_agents(asking: Agent, ticket: Ticket) -> list[Agent]:
    """Whom a supervisor may give the ticket to: active agents who work its queue; nobody
    for anyone below supervisor."""
    if not (asking.is_active and asking.has_role(Role.SUPERVISOR)):
        return []
    agents = Agent.objects.filter(is_active=True).prefetch_related("queues").order_by(
        "agent_number", "username")
    return [a for a in agents if a.has_role(Role.AGENT) and works_queue(a, ticket.queue)]


# --- pictures and files on social channels (issue #17) ---------------------------------------


def attachment_for_agent(agent: Agent, pk: int) -> Attachment:
    """An attachment on a ticket the agent may see; TicketAccessDenied otherwise (unknown too)."""
    item = (Attachment.objects.select_related("message__ticket")
            .filter(pk=pk, message__ticket__in=visible_tickets(agent)).first())
    if item is None:
        raise TicketAccessDenied
    return item


# --- creation-date ranges at a million tickets (perf) ----------------------------------------

# `updated_at` as an expression: the same order, but no index can deliver it, so the planner
# cannot choose to walk (inbox_rank, updated_at) newest first and filter on created_at: for a
# range months back that walk passes every ticket updated since (half a second at 200,000
# tickets; the planner guessed it that way for some ranks and not others).
_UPDATED_UNINDEXED = ExpressionWrapper(F("updated_at") + Value(timedelta(0)),
                                       output_field=DateTimeField())


def _ids_in_created_range(page: QuerySet[Ticket], limit: int) -> list[int]:
    """The ids of the page's first `limit` tickets, newest updated first, read from the
    (inbox_rank, created_at) index with updated_at and id included: the range's entries and a
    top-N sort, no table rows. The caller reads the rows for these ids."""
    return list(page.order_by(_UPDATED_UNINDEXED.desc(), "-pk").values_list("pk", flat=True)[:limit])


# --- long tickets: the newest messages first, earlier ones on request (perf) -----------------

@dataclass(frozen=True)
class ConversationPage:
    """The newest `limit` messages of a ticket before a point, oldest first, and how many
    earlier ones there are (shown as "show earlier" rather than rendered up front)."""

    messages: list[Message]
    earlier: int

    @property
    def first_seq(self) -> int:
        return self.messages[0].seq if self.messages else 0


def conversation_page(ticket: Ticket, *, for_customer: bool, before_seq: int | None = None,
                      limit: int | None = None) -> ConversationPage:
    """One page of the conversation, read newest first through the (ticket, seq) index: a
    ticket with thousands of messages costs what a short one does. Two queries and one for
    the page's attachments. `limit=0`: every message (the page without script)."""
    messages = conversation(ticket, for_customer=for_customer)
    if before_seq is not None:
        messages = messages.filter(seq__lt=before_seq)
    if limit == 0:
        return ConversationPage(messages=list(messages), earlier=0)
    size = limit or settings.UNLOCKDESK_TICKET_PAGE_MESSAGES
    rows = list(messages.order_by("-seq")[:size])[::-1]
    earlier = messages.filter(seq__lt=rows[0].seq).count() if rows else 0
    return ConversationPage(messages=rows, earlier=earlier)


@dataclass(frozen=True)
class TimelinePage:
    events: list[TicketEvent]
    earlier: int


def recent_timeline(ticket: Ticket, *, limit: int | None = None) -> TimelinePage:
    """The newest `limit` timeline entries, oldest first; `limit=0` means all of them."""
    events = timeline(ticket)
    if limit == 0:
        return TimelinePage(events=list(events), earlier=0)
    size = limit or settings.UNLOCKDESK_TICKET_PAGE_EVENTS
    rows = list(events.order_by("-created_at", "-id")[: size + 1])
    if len(rows) <= size:
        return TimelinePage(events=rows[::-1], earlier=0)
    return TimelinePage(events=rows[:size][::-1], earlier=events.count() - size)
