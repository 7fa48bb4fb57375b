"""Two agents online in two real browsers: tickets arriving through the API are assigned to
each in turn and appear in both inboxes without a reload; the assignee gets a toast."""

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.e2e.chat_server import AsgiLiveServer
from tests.factories import make_agent
from tests.helpers import browser_console_login
from tests.tickets.routing_helpers import routed_queues
from unlockdesk.api import keys
from unlockdesk.staff.models import Role, RoutingProfile
from unlockdesk.tickets.models import Ticket

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def asgi_live_server(transactional_db: Any) -> Iterator[AsgiLiveServer]:
    server = AsgiLiveServer(9301).start()
    yield server
    server.stop()


def test_two_agents_get_tickets_in_turn_and_see_them_live(
    asgi_live_server: AsgiLiveServer, new_page: Any
) -> None:
    base = asgi_live_server.url
    routed_queues()
    lin = make_agent(agent_number="A7001")
    mei = make_agent(agent_number="A7002")
    for agent in (lin, mei):
        RoutingProfile.objects.create(agent=agent, languages=["zh-hans", "en"])
    pages = {}
    for agent in (lin, mei):
        page = new_page("en-US")
        browser_console_login(page, base, agent)
        page.goto(f"{base}/console/")
        page.wait_for_selector("body[data-live='1']")
        page.wait_for_selector("#presence-dot.online")
        page.evaluate("window.notReloaded = true")
        pages[agent.pk] = page

    robot = make_agent(role=Role.AGENT, username="risk-engine", agent_number="R0001")
    _key, token = keys.create_key(name="risk engine", agent=robot, scopes=("tickets:write",),
                                  actor="test")
    numbers = []
    with httpx.Client(base_url=f"{base}/api/v1", timeout=30,
                      headers={"Authorization": f"Bearer {token}"}) as api:
        for n in range(4):
            created = api.post("/tickets", json={
                "subject": f"Withdrawal question {n}", "text": "Please check this withdrawal",
                "contact": {"kind": "email", "value": f"live{n}@example.com"}, "language": "en"})
            assert created.status_code == 201, created.text
            numbers.append(created.json()["number"])

    assignees = [Ticket.objects.get(number=n).assignee for n in numbers]
    assert assignees == [lin, mei, lin, mei]
    for page in pages.values():
        for number, assignee in zip(numbers, assignees, strict=True):
            row = page.locator(f"#inbox tr[data-number='{number}']")
            row.wait_for()
            page.wait_for_function(
                "([n, who]) => (document.querySelector(`#inbox tr[data-number='${n}']`)"
                " || {}).textContent?.includes(who)", arg=[number, assignee.agent_number])
        assert page.evaluate("window.notReloaded") is True
    toast = pages[lin.pk].locator("#toasts .toast", has_text=numbers[0])
    toast.wait_for()  # "Ticket UD-… is yours", linking to it
    assert toast.get_attribute("href") == f"/console/tickets/{numbers[0]}/"
