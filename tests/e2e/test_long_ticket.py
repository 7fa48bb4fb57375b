"""An agent reads a long ticket: the newest messages first, then "show earlier" in place."""

from typing import Any

import pytest

from tests.factories import make_agent, receive_one
from tests.helpers import browser_console_login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_agent_loads_earlier_messages_in_place(live_server: Any, page: Any, settings: Any) -> None:
    settings.UNLOCKDESK_TICKET_PAGE_MESSAGES = 3
    number = receive_one(text="第一条：提币没有到账", sender="long@example.com").ticket_number
    for n in range(2, 8):
        receive_one(text=f"第 {n} 条", sender="long@example.com", ticket_number=number)
    agent = make_agent(agent_number="A7301")
    browser_console_login(page, live_server.url, agent)
    page.goto(f"{live_server.url}/console/tickets/{number}/")
    assert page.locator("#conversation .msg").count() == 3
    assert "第一条" not in page.inner_text("#conversation")
    page.click("a[data-earlier]")
    page.wait_for_selector('#conversation .msg[data-seq="3"]')
    assert page.locator("#conversation .msg").count() == 6
    page.click("a[data-earlier]")
    page.wait_for_selector("text=第一条：提币没有到账")
    seqs = page.eval_on_selector_all("#conversation .msg", "els => els.map(e => +e.dataset.seq)")
    assert seqs == sorted(seqs) and seqs[0] == 1 and len(seqs) == 8
    assert page.locator("a[data-earlier]").count() == 0
