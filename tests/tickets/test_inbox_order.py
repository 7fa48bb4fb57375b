"""The inbox shows what needs a person first: unassigned P1 above anything waiting on the
customer; keyset pages still return every ticket exactly once, in that order."""

import pytest

from tests.factories import make_agent, receive_one
from unlockdesk.staff.models import Agent
from unlockdesk.tickets import selectors
from unlockdesk.tickets.models import Status, Ticket
from unlockdesk.tickets.selectors import InboxFilters
from unlockdesk.tickets.services import assign, change_status

pytestmark = pytest.mark.django_db


def a_ticket(text: str, n: int) -> Ticket:
    return Ticket.objects.get(number=receive_one(text=text, subject="", sender=f"o{n}@example.com")
                              .ticket_number)


def mixed_inbox() -> dict[str, Ticket]:
    helper = make_agent()
    tickets = {
        "p1_waiting_customer": a_ticket("我的账户被盗了", 1),
        "p3_unassigned": a_ticket("请帮忙看看", 2),
        "p1_assigned": a_ticket("我的账户被盗了", 3),
        "p1_unassigned": a_ticket("我的账户被盗了", 4),
        "p2_unassigned": a_ticket("账户被锁定", 5),
    }
    change_status(tickets["p1_waiting_customer"], Status.WAITING_CUSTOMER, by=helper)
    assign(tickets["p1_assigned"], helper, by=helper)
    return tickets


def test_unassigned_p1_comes_first_and_waiting_on_the_customer_last(supervisor: Agent) -> None:
    tickets = mixed_inbox()
    page = selectors.inbox_for(supervisor, InboxFilters())
    order = [t.number for t in page.tickets]
    expected = ["p1_unassigned", "p1_assigned", "p2_unassigned", "p3_unassigned",
                "p1_waiting_customer"]
    assert order == [tickets[name].number for name in expected]


def test_pages_of_two_walk_the_same_order_without_gaps_or_repeats(supervisor: Agent) -> None:
    tickets = mixed_inbox()
    whole = [t.number for t in selectors.inbox_for(supervisor, InboxFilters()).tickets]
    walked: list[str] = []
    after = ""
    while True:
        page = selectors.inbox_for(supervisor, InboxFilters(), after=after, limit=2)
        walked += [t.number for t in page.tickets]
        if not page.next_cursor:
            break
        after = page.next_cursor
    assert walked == whole and len(walked) == len(tickets)


def test_the_priority_filter_keeps_the_order(supervisor: Agent) -> None:
    tickets = mixed_inbox()
    page = selectors.inbox_for(supervisor, InboxFilters(priority="1"))
    assert [t.number for t in page.tickets] == [
        tickets[n].number for n in ("p1_unassigned", "p1_assigned", "p1_waiting_customer")]


def test_mine_shows_only_my_tickets_waiting_on_us_first() -> None:
    me = make_agent()
    urgent, normal, waiting = (a_ticket("我的账户被盗了", 11), a_ticket("请帮忙看看", 12),
                               a_ticket("我的账户被盗了", 13))
    a_ticket("我的账户被盗了", 14)  # nobody's
    for ticket in (urgent, normal, waiting):
        assign(ticket, me, by=me)
    change_status(waiting, Status.WAITING_CUSTOMER, by=me)
    page = selectors.inbox_for(me, InboxFilters(mine=True))
    assert [t.number for t in page.tickets] == [urgent.number, normal.number, waiting.number]
