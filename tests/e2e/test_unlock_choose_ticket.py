"""A customer with a scam report and a lock ticket open picks the lock ticket for the application."""

from typing import Any

import pytest

from tests.factories import receive_one
from tests.helpers import browser_portal_login
from tests.unlock.builders import locked_account

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_wizard_asks_which_ticket_and_keeps_the_choice(live_server: Any, page: Any) -> None:
    locked_account(email="choose@example.com")
    receive_one(text="遇到假客服诈骗，让我转账到安全账户", sender="choose@example.com", verified=True)
    lock_ticket = receive_one(text="我的账户被锁了", subject="账户被锁", sender="choose@example.com",
                              verified=True, external_id="choose-lock")
    browser_portal_login(page, live_server.url, "choose@example.com")
    page.goto(f"{live_server.url}/portal/unlock/")
    page.locator("#choose-ticket").wait_for()
    assert page.locator("#choose-ticket a[data-ticket]").count() == 2
    page.click(f"a[data-ticket='{lock_ticket.ticket_number}']")
    page.wait_for_url(f"{live_server.url}/portal/unlock/step/1/")
    assert page.inner_text("#ticket-number") == lock_ticket.ticket_number
