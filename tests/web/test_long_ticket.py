"""A long ticket in the console: newest messages first, earlier ones on request, and a page
whose query count does not grow with the number of messages."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import receive_one
from tests.helpers import console_login
from unlockdesk.staff.models import Agent
from unlockdesk.tickets.models import Ticket
from unlockdesk.tickets.selectors import conversation_page, recent_timeline

pytestmark = pytest.mark.django_db


def _ticket_with(messages: int) -> Ticket:
    number = receive_one(text="第 1 条", sender="long@example.com").ticket_number
    for n in range(2, messages + 1):
        receive_one(text=f"第 {n} 条 message {n}", sender="long@example.com", ticket_number=number)
    return Ticket.objects.get(number=number)


@pytest.fixture
def signed_in(client: Client, agent: Agent) -> Client:
    return console_login(client, agent)


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_ticket_page_queries_do_not_grow_with_messages(signed_in: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.UNLOCKDESK_TICKET_PAGE_MESSAGES = 5
    short = _ticket_with(3)
    long = _ticket_with(14)
    short_url, long_url = f"/console/tickets/{short.number}/", f"/console/tickets/{long.number}/"
    _queries(signed_in, short_url)  # warm-up: session, caches
    short_count, long_count = _queries(signed_in, short_url), _queries(signed_in, long_url)
    assert long_count <= short_count + 2  # the page counts its earlier messages and entries
    # and with every message shown, still no query per message
    assert _queries(signed_in, long_url + "?messages=all") <= long_count


def test_ticket_page_shows_newest_messages_and_loads_earlier(signed_in: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.UNLOCKDESK_TICKET_PAGE_MESSAGES = 4
    ticket = _ticket_with(9)
    last = ticket.last_seq
    page = signed_in.get(f"/console/tickets/{ticket.number}/")
    shown = [m.seq for m in page.context["page"].messages]
    assert shown == list(range(last - 3, last + 1))
    body = page.content.decode()
    earlier = last - 4
    assert f"?before={last - 3}" in body and str(earlier) in body
    fragment = signed_in.get(f"/console/tickets/{ticket.number}/earlier/", {"before": last - 3},
                             HTTP_X_REQUESTED_WITH="fetch")
    assert [m.seq for m in fragment.context["page"].messages] == list(range(last - 7, last - 3))
    assert fragment.context["page"].earlier == earlier - 4
    # followed without script: the whole conversation on the ticket page
    plain = signed_in.get(f"/console/tickets/{ticket.number}/earlier/", {"before": last - 3})
    assert plain.status_code == 302 and plain["Location"].endswith("?messages=all#conversation")
    everything = signed_in.get(f"/console/tickets/{ticket.number}/", {"messages": "all"})
    assert [m.seq for m in everything.context["page"].messages] == list(range(1, last + 1))


def test_earlier_messages_respect_permissions_and_bad_input(signed_in: Client, client: Client) -> None:
    ticket = _ticket_with(2)
    url = f"/console/tickets/{ticket.number}/earlier/"
    assert signed_in.get(url, {"before": "x"}).status_code == 404
    assert signed_in.get("/console/tickets/UD-NOSUCH/earlier/", {"before": 2}).status_code == 404
    assert Client().get(url, {"before": 2}).status_code in (302, 403)


def test_recent_timeline_keeps_the_newest_entries(settings) -> None:  # type: ignore[no-untyped-def]
    ticket = _ticket_with(6)
    every = list(ticket.events.order_by("created_at", "id"))
    page = recent_timeline(ticket, limit=3)
    assert page.events == every[-3:] and page.earlier == len(every) - 3
    assert recent_timeline(ticket, limit=0).events == every
    assert conversation_page(ticket, for_customer=False, limit=0).earlier == 0


def test_ticket_page_reads_queues_identities_and_tags_once(signed_in: Client) -> None:
    ticket = _ticket_with(2)
    url = f"/console/tickets/{ticket.number}/"
    signed_in.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert signed_in.get(url).status_code == 200
    sqls = [q["sql"] for q in captured.captured_queries]
    assert sum('FROM "tickets_queue" INNER JOIN "tickets_queue_agents"' in s for s in sqls) == 1
    assert sum('FROM "tickets_contactidentity"' in s for s in sqls) == 1
    assert sum('FROM "tickets_tag"' in s for s in sqls) == 1
