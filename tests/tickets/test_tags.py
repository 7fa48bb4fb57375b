"""Tags on tickets: one rule for every way in, on the timeline, and a filter of the inbox."""

import pytest
from django.test import Client

from tests.factories import receive_one
from tests.helpers import console_login
from unlockdesk.staff.models import Agent
from unlockdesk.tickets import selectors
from unlockdesk.tickets.models import EventKind, Ticket
from unlockdesk.tickets.search import search_tickets
from unlockdesk.tickets.services import set_tags
from unlockdesk.tickets.tags import InvalidTag

pytestmark = pytest.mark.django_db


def _ticket(sender: str = "tagged@example.com") -> Ticket:
    return Ticket.objects.get(pk=receive_one(text="我的账户被锁了", sender=sender).ticket_id)


def test_tags_are_normalised_and_each_change_is_on_the_timeline(agent: Agent) -> None:
    ticket = _ticket()
    set_tags(ticket, ["VIP", " vip ", "incident 1206", "大客户"], by=agent)
    assert sorted(ticket.tags.values_list("name", flat=True)) == ["incident-1206", "vip", "大客户"]
    set_tags(ticket, ["vip", "大客户", "incident-1206"], by=agent)  # the same set: no event
    set_tags(ticket, ["vip"], by=agent)
    events = list(ticket.events.filter(kind=EventKind.TAGS).order_by("pk"))
    assert len(events) == 2
    assert events[1].data == {"added": [], "removed": ["incident-1206", "大客户"]}
    assert events[1].new_label == "−incident-1206 −大客户"


@pytest.mark.parametrize("bad", [["<b>x</b>"], ["a" * 41], ["-lead"], [f"t{i}" for i in range(21)]])
def test_a_bad_tag_is_refused_and_changes_nothing(agent: Agent, bad: list[str]) -> None:
    ticket = _ticket()
    set_tags(ticket, ["keep"], by=agent)
    with pytest.raises(InvalidTag):
        set_tags(ticket, bad, by=agent)
    assert list(ticket.tags.values_list("name", flat=True)) == ["keep"]


def test_inbox_and_search_filter_by_tag(agent: Agent) -> None:
    tagged, other = _ticket("a@example.com"), _ticket("b@example.com")
    set_tags(tagged, ["incident-1206"], by=agent)
    page = selectors.inbox_for(agent, selectors.InboxFilters(status="all", tag="Incident-1206"))
    assert [t.number for t in page.tickets] == [tagged.number]
    hits = search_tickets(agent, "账户", selectors.InboxFilters(status="all", tag="incident-1206")).hits
    assert [h.ticket.number for h in hits] == [tagged.number]
    assert other.number not in [t.number for t in page.tickets]


def test_agent_tags_a_ticket_from_the_console(client: Client, agent: Agent) -> None:
    ticket = _ticket()
    console_login(client, agent)
    client.post(f"/console/tickets/{ticket.number}/tags/", {"tags": "vip, 大客户"})
    assert sorted(ticket.tags.values_list("name", flat=True)) == ["vip", "大客户"]
    inbox = client.get("/console/", {"status": "all", "tag": "大客户"}).content.decode()
    assert ticket.number in inbox and "#大客户" in inbox
