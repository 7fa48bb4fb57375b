"""Two agents online in two real browsers: tickets arriving through the API are assigned to
each in turn and appear in both inboxes without a reload; the assignee gets a toast."""

import threading
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from django.db import connection

from tests.e2e.chat_server import AsgiLiveServer
from tests.factories import make_agent, receive_one
from tests.helpers import browser_console_login
from tests.tickets.routing_helpers import routed_queues
from unlockdesk.api import keys
from unlockdesk.staff.models import Role, RoutingProfile
from unlockdesk.tickets.models import Ticket

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _in_a_thread(work: Callable[[], str]) -> str:
    """Run pipeline code off the main thread, where Playwright keeps its event loop (the
    live announcements cross into the channel layer with async_to_sync)."""
    result: list[str] = []

    def run() -> None:
        try:
            result.append(work())
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(30)
    return result[0]


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


def test_presence_picker_viewers_typing_and_a_supervisor_reassigning(
    asgi_live_server: AsgiLiveServer, new_page: Any
) -> None:
    base = asgi_live_server.url
    lin = make_agent(agent_number="A7101")
    boss = make_agent(role=Role.SUPERVISOR, agent_number="S7101")
    number = _in_a_thread(lambda: receive_one(text="请帮忙看看", sender="viewers@example.com")
                          .ticket_number)
    agent_page = new_page("en-US")
    browser_console_login(agent_page, base, lin)
    agent_page.goto(f"{base}/console/")
    # The dot is drawn online from the page itself; choose only once this page's socket is
    # open, or the picker posts its form while the last page's socket is still closing.
    agent_page.wait_for_selector("body[data-live='1'] #presence-dot.online")
    agent_page.select_option("#presence-select", "away")
    agent_page.wait_for_selector("#presence-dot.away")
    assert RoutingProfile.objects.get(agent=lin).presence == "away"
    agent_page.goto(f"{base}/console/tickets/{number}/")

    boss_page = new_page("en-US")
    browser_console_login(boss_page, base, boss)
    boss_page.goto(f"{base}/console/tickets/{number}/")
    boss_page.wait_for_selector(f"#viewers:has-text('{lin.public_name}')")
    agent_page.wait_for_selector(f"#viewers:has-text('{boss.public_name}')")
    boss_page.fill("#reply-form textarea", "Looking")
    agent_page.wait_for_selector("#viewers:has-text('typing')")

    boss_page.select_option("#reassign-agent", str(lin.pk))
    boss_page.click("#reassign-form button[type=submit]")
    boss_page.wait_for_selector(f".timeline:has-text('{lin.public_name}')")
    assert Ticket.objects.get(number=number).assignee == lin
    toast = agent_page.locator("#toasts .toast", has_text=number)   # told while on the page
    toast.wait_for()
    agent_page.wait_for_selector("#ticket-changed:visible")
