"""search_tickets(): what agents type into the console's search box and the API's `q`."""

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import BooleanField, Case, Q, Value, When
from django.db.models.expressions import RawSQL
from django.utils.safestring import SafeString

from unlockdesk.staff.models import Agent
from unlockdesk.tickets.models import Message, Ticket
from unlockdesk.tickets.search import backends
from unlockdesk.tickets.search.analysis import highlight_terms, segment
from unlockdesk.tickets.search.identifiers import identifier_condition
from unlockdesk.tickets.search.snippets import highlight
from unlockdesk.tickets.selectors import InboxFilters, filtered_tickets

# Ranking looks at the 200 most recently updated matches only: a common word can match half a
# million tickets, and scoring them all would cost seconds. Agents narrow with more words or
# filters; `capped` tells them there is more.
CANDIDATES = 200
PAGE_SIZE = 25


@dataclass(frozen=True)
class SearchHit:
    ticket: Ticket
    snippet: SafeString | None
    exact: bool  # matched by an identifier (email, phone, UID, transaction, number)


@dataclass(frozen=True)
class SearchPage:
    hits: list[SearchHit]
    next_cursor: str
    count: int
    capped: bool


def _offset(cursor: str) -> int:
    return int(cursor) if cursor.isdigit() else 0


def search_tickets(agent: Agent, query: str, filters: InboxFilters, *, after: str = "",
                   limit: int = PAGE_SIZE) -> SearchPage:
    """Tickets `agent` may see that match `query` and `filters`, best first.

    Matches: subject, message bodies (stored, redacted text), the contact's name, addresses
    and handles, the UID and number (the full-text index), plus exact identifiers resolved in
    their own tables. Order: exact identifier matches, then text relevance, then recency.
    Statuses default to all (a search looks into closed cases too). Permissions are those of
    the inbox: the same `filtered_tickets`.
    """
    tickets = filtered_tickets(agent, filters, default_status="all")
    words = segment(query)
    store = backends.current()
    match = store.match_sql(words)
    exact = identifier_condition(query)
    conditions = [c for c in (
        # The backend's fixed SQL text; the query words travel only as parameters.
        Q(RawSQL(match[0], match[1], output_field=BooleanField())) if match else None,  # noqa: S611
        exact,
    ) if c is not None]
    if not conditions:
        return SearchPage(hits=[], next_cursor="", count=0, capped=False)
    candidates = list(
        tickets.filter(reduce(or_, conditions))
        .annotate(exact=Case(When(exact, then=Value(True)), default=Value(False))
                  if exact is not None else Value(False))
        .order_by("-updated_at", "-pk").values_list("pk", "exact")[:CANDIDATES])
    scores = store.scores(words, [pk for pk, _exact in candidates]) if match else {}
    ranked = sorted(enumerate(candidates),
                    key=lambda item: (not item[1][1], -scores.get(item[1][0], 0.0), item[0]))
    start = _offset(after)
    page = ranked[start : start + limit]
    by_pk = Ticket.objects.select_related("contact", "assignee", "queue", "account").in_bulk(
        [pk for _i, (pk, _e) in page])
    snippets = _snippets(list(by_pk.values()), highlight_terms(query))
    hits = [SearchHit(by_pk[pk], snippets.get(pk), bool(is_exact))
            for _i, (pk, is_exact) in page if pk in by_pk]
    more = start + limit < len(ranked)
    return SearchPage(hits=hits, next_cursor=str(start + limit) if more else "",
                      count=len(candidates), capped=len(candidates) >= CANDIDATES)


def _snippets(tickets: list[Ticket], terms: list[str]) -> dict[int, SafeString]:
    """One query for the page: the first message of each ticket holding a query word."""
    if not tickets or not terms:
        return {}
    out: dict[int, SafeString] = {}
    contains = reduce(or_, [Q(body_text__icontains=t) for t in terms[:6]])
    rows = (Message.objects.filter(ticket_id__in=[t.pk for t in tickets]).filter(contains)
            .order_by("ticket_id", "seq").values_list("ticket_id", "body_text"))
    for ticket_id, body in rows:
        if ticket_id not in out and (found := highlight(body, terms)) is not None:
            out[ticket_id] = found
    for ticket in tickets:
        if ticket.pk not in out and (found := highlight(ticket.subject, terms)) is not None:
            out[ticket.pk] = found
    return out
