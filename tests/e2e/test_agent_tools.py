"""Agent tools in Chromium: a macro picked from the reply box and sent, a bulk status change
with its confirmation, a saved view with its count."""

from typing import Any

import pytest

from tests.factories import make_account, make_agent, receive_one
from tests.helpers import browser_console_login
from unlockdesk.accounts.types import LockReason
from unlockdesk.staff.models import Role
from unlockdesk.tickets.models import Direction, Message, Priority, Status, Ticket
from unlockdesk.tickets.services import set_priority
from unlockdesk.tickets.services.macros import save_macro

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _ticket(sender: str, text: str = "我的账户被锁了，无法登录") -> Ticket:
    return Ticket.objects.get(pk=receive_one(text=text, sender=sender).ticket_id)


def test_macro_is_found_by_typing_inserted_with_the_keyboard_and_sent(live_server: Any, page: Any) -> None:
    account = make_account(email="locked@example.com", lock=LockReason.RISK_CONTROL)
    agent = make_agent(agent_number="A7301")
    ticket = _ticket("locked@example.com")
    Ticket.objects.filter(pk=ticket.pk).update(account=account)
    save_macro(by=agent, name="退款说明", body_zh="退款将在 3 个工作日内到账。", body_en="Refund in 3 days.")
    save_macro(by=make_agent(role=Role.SUPERVISOR), shared=True, name="锁定说明",
               body_zh="您好，工单 {{工单号}} 已由 {{工号}} 接手，账户因{{锁定原因}}被锁定。",
               body_en="Hello, ticket {{ticket_number}} is with {{agent_number}}.")

    browser_console_login(page, live_server.url, agent)
    page.goto(f"{live_server.url}/console/tickets/{ticket.number}/")
    search = page.locator("#macro-search")
    search.click()
    search.type("锁定")
    options = page.locator("#macro-search-options [role=option]")
    options.first.wait_for()
    assert options.count() == 1 and "锁定说明" in options.first.inner_text()
    search.press("Enter")
    box = page.locator("#reply-form textarea")
    text = box.input_value()
    assert text.startswith(f"您好，工单 {ticket.number} 已由 A7301 接手")
    assert "风控" in text and "{{" not in text
    page.click("#reply-form button[type=submit]")
    page.wait_for_selector(f"text=工单 {ticket.number} 已由 A7301 接手")
    sent = Message.objects.get(ticket=ticket, direction=Direction.OUTBOUND, author=agent)
    assert sent.body_text == text


def test_bulk_status_change_after_confirmation(live_server: Any, page: Any) -> None:
    agent = make_agent()
    picked = [_ticket(f"bulk{i}@example.com") for i in range(2)]
    untouched = _ticket("keep@example.com")
    browser_console_login(page, live_server.url, agent)
    page.goto(f"{live_server.url}/console/?status=all")
    for ticket in picked:
        page.check(f"tr[data-number='{ticket.number}'] input[name=ticket]")
    page.select_option("#bulk-action", f"status:{Status.WAITING_CUSTOMER}")
    page.click("#bulk-form button[type=submit]")
    page.wait_for_selector("#bulk-confirm")
    assert "2" in page.locator("#bulk-count").inner_text()
    page.click("#bulk-go")
    page.wait_for_selector("#inbox")
    changed = Ticket.objects.filter(pk__in=[t.pk for t in picked])
    assert {t.status for t in changed} == {Status.WAITING_CUSTOMER}
    untouched.refresh_from_db()
    assert untouched.status != Status.WAITING_CUSTOMER
    assert all(t.events.filter(kind="status").exists() for t in changed)


def test_saved_view_shows_its_count_and_opens_its_filter(live_server: Any, page: Any) -> None:
    agent = make_agent()
    urgent = _ticket("p1@example.com")
    _ticket("p3@example.com")
    set_priority(urgent, Priority.URGENT, by=None)
    browser_console_login(page, live_server.url, agent)
    page.goto(f"{live_server.url}/console/?priority=1")
    page.click("#save-view summary")
    page.fill("#view-name", "紧急工单")
    page.click("#save-view button[type=submit]")
    page.wait_for_selector("#saved-views li[data-view]")
    item = page.locator("#saved-views li[data-view]", has_text="紧急工单")
    assert item.locator(".count").inner_text() == "1"
    page.goto(f"{live_server.url}/console/")
    page.click("#saved-views a:has-text('紧急工单')")
    page.wait_for_url("**/console/?priority=1")
    rows = page.locator("#inbox tbody tr[data-number]")
    assert rows.count() == 1 and rows.first.get_attribute("data-number") == urgent.number
