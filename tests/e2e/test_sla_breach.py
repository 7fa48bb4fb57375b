"""A breach notification reaching the supervisor in a real browser: the bell counts it without
a reload, the list shows it in words, and its link leads to the ticket with the timer overdue."""

import threading
from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
from django.db import connection
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import make_agent, receive_one
from tests.helpers import browser_console_login
from unlockdesk.staff.models import Role
from unlockdesk.tickets.services.escalation import EscalationRun, escalate_due

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_breach_reaches_the_supervisors_bell(live_server: Any, page: Any, settings: Any) -> None:
    settings.UNLOCKDESK_NOTIFICATION_POLL_SECONDS = 1
    supervisor = make_agent(role=Role.SUPERVISOR, agent_number="S9001")
    opened = timezone.now() - timedelta(days=10)  # long past every default target
    with mock.patch("django.utils.timezone.now", return_value=opened):
        receipt = receive_one(text="请问提币多久到账", sender="late@example.com")

    browser_console_login(page, live_server.url, supervisor)
    page.goto(f"{live_server.url}/console/")
    assert page.locator("#notification-count").inner_text() == "0"
    row = page.locator(f"tr[data-number='{receipt.ticket_number}'] .sla-timer")
    assert row.get_attribute("data-sla-state") == "breached" and "已超时" in row.inner_text()

    runs: list[EscalationRun] = []  # the beat task runs it every minute, in a worker

    def beat() -> None:
        try:
            runs.append(escalate_due())
        finally:
            connection.close()  # the worker thread's own connection

    worker = threading.Thread(target=beat)
    worker.start()
    worker.join()
    # Both clocks (first response and resolution) are past due: one notification each.
    assert runs[0].breached == 2
    expect(page.locator("#notification-count")).to_have_text("2", timeout=10_000)  # no reload

    page.click("#notification-bell")
    item = page.locator("#notification-list li.unread").first
    assert f"SLA 已超时：{receipt.ticket_number}" in item.inner_text()
    item.locator("a").click()
    page.wait_for_url(f"**/console/tickets/{receipt.ticket_number}/")
    timeline = page.locator(".timeline").inner_text()
    assert "超出 SLA" in timeline and "首次回复" in timeline and "first_response" not in timeline
    clocks = page.locator("#sla-clocks")
    assert "首次回复" in clocks.inner_text() and "已超时" in clocks.inner_text()

    page.goto(f"{live_server.url}/console/notifications/")
    page.click("#mark-all-read")
    assert page.locator("#notification-count").inner_text() == "0"
