"""The foundation's story, in a real browser: a locked-out customer reaches an agent."""

from typing import Any

import pytest

from tests.factories import make_account, make_agent
from tests.helpers import browser_console_login, browser_portal_login
from unlockdesk.accounts.types import LockReason, Restriction
from unlockdesk.tickets.models import Ticket

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_locked_customer_opens_ticket_and_reads_agent_reply(live_server: Any, new_page: Any) -> None:
    make_account(email="locked@example.com", lock=LockReason.RISK_CONTROL,
                 restrictions=[Restriction.LOGIN, Restriction.WITHDRAW])
    agent = make_agent(agent_number="A7001")
    customer = new_page("en-US")
    base = live_server.url

    browser_portal_login(customer, base, "locked@example.com")
    lock = customer.locator("#lock-status")
    assert "Risk-control rule" in lock.inner_text() or "风控" in lock.inner_text()
    customer.goto(f"{base}/portal/tickets/new/")
    customer.fill("#id_subject", "Account locked, please help")
    customer.fill("#id_text", "My account is locked since this morning and I cannot log in.")
    customer.click("button:has-text('Send'), button:has-text('发送')")
    customer.wait_for_url(f"{base}/portal/tickets/UD-*/")
    number = customer.locator("#ticket-number").inner_text()
    assert Ticket.objects.get(number=number).account.email == "locked@example.com"

    console = new_page()
    browser_console_login(console, base, agent)
    console.goto(f"{base}/console/")
    console.click(f"text={number}")
    assert "Risk-control rule" in console.locator("#account-panel").inner_text() or \
        "风控" in console.locator("#account-panel").inner_text()
    console.fill("#reply-form textarea", "We are checking your account now. Please prepare your ID card.")
    console.click("#reply-form button[type=submit]")
    console.wait_for_selector("text=We are checking your account now")

    customer.reload()
    message = customer.locator(".msg.out", has_text="We are checking your account now")
    assert message.count() == 1
    assert "A7001" in message.inner_text()
