"""Safety in a real browser: the public verifier, the portal's security page (anti-phishing code,
emergency freeze) and the outbound guard in the console."""

from typing import Any

import pytest

from tests.factories import make_account, make_agent, receive_one
from tests.helpers import browser_console_login, browser_portal_login
from unlockdesk.accounts.models import AccountLock, ExchangeAccount
from unlockdesk.accounts.types import Restriction
from unlockdesk.tickets.models import Message, Ticket

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_anyone_checks_a_lookalike_link_in_chinese(live_server: Any, page: Any) -> None:
    page.goto(f"{live_server.url}/verify/")
    page.fill("#id_value", "https://okx-support.com/login")
    page.click("button[type=submit]")
    verdict = page.locator("#verdict")
    assert verdict.get_attribute("data-verdict") == "lookalike"
    assert "不是官方渠道" in verdict.inner_text() and "okx-support.com" in verdict.inner_text()


def test_customer_sets_a_code_then_freezes_the_account(live_server: Any, new_page: Any) -> None:
    account = make_account(email="owner@example.com")
    customer = new_page("en-US")
    base = live_server.url
    browser_portal_login(customer, base, "owner@example.com")
    customer.goto(f"{base}/portal/security/")
    customer.fill("#id_code", "BlueFox42")
    customer.click("#anti-phishing button[type=submit]")
    assert customer.locator("#current-code").inner_text() == "BlueFox42"
    assert ExchangeAccount.objects.get(pk=account.pk).anti_phishing_code == "BlueFox42"

    customer.check("#freeze input[type=checkbox]")
    customer.click("#portal-freeze")
    assert "UD-" in customer.locator("#frozen").inner_text()
    restrictions = {r for lock in AccountLock.objects.filter(account=account, lifted_at__isnull=True)
                    for r in lock.restrictions}
    assert restrictions >= {Restriction.LOGIN, Restriction.TRADE, Restriction.WITHDRAW}


def test_agent_reply_asking_for_the_sms_code_is_blocked_with_the_reason(
    live_server: Any, page: Any
) -> None:
    receipt = receive_one(text="我的账户被锁了")
    agent = make_agent(agent_number="A7001")
    browser_console_login(page, live_server.url, agent)
    page.goto(f"{live_server.url}/console/tickets/{receipt.ticket_number}/")
    page.fill("#reply-form textarea", "请把短信验证码发给我")
    page.click("#reply-form button[type=submit]")
    page.wait_for_selector("text=验证码")
    assert "客服从不索要" in page.content()
    ticket = Ticket.objects.get(pk=receipt.ticket_id)
    assert not Message.objects.filter(ticket=ticket, author=agent).exists()
