"""The callback queue in Chromium: an agent sees the waiting customer with a timer, takes the
callback, logs the answered call, and it leaves the queue; the ticket shows the call."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import make_agent, receive_one
from tests.helpers import browser_console_login
from unlockdesk.tickets.models import Call, CallbackRequest, CallbackState, Ticket
from unlockdesk.tickets.services.calls import request_callback
from unlockdesk.tickets.types import CallbackReason, CallOutcome, Channel, IdentityKind

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CALLER = "+8613800138000"


def _waiting(sender: str, external_id: str, reason: CallbackReason) -> CallbackRequest:
    receipt = receive_one(channel=Channel.PHONE, kind=IdentityKind.PHONE, sender=sender,
                          text="[Callback requested] 请回电", external_id=external_id)
    ticket = Ticket.objects.get(pk=receipt.ticket_id)
    return request_callback(ticket=ticket, number=sender, reason=reason)


def test_agent_logs_the_callback_call_and_it_leaves_the_queue(live_server: Any, page: Any) -> None:
    later = _waiting(CALLER, "CA1:callback_request", CallbackReason.REQUEST)
    freeze = _waiting("+8613900139000", "CA2:freeze", CallbackReason.FREEZE)
    CallbackRequest.objects.filter(pk=freeze.pk).update(due_at=timezone.now() - timedelta(minutes=2))
    agent = make_agent(agent_number="A7001")
    browser_console_login(page, live_server.url, agent)

    page.click("header.top a[href='/console/callbacks/']")
    page.wait_for_url(f"{live_server.url}/console/callbacks/")  # count() does not wait
    rows = page.locator("#callbacks tr.callback")
    expect(rows).to_have_count(2)
    assert rows.nth(0).get_attribute("id") == f"callback-{freeze.pk}"  # the freeze first
    assert "紧急冻结" in rows.nth(0).inner_text()
    assert "138****8000" not in rows.nth(1).inner_text() and "8000" in rows.nth(1).inner_text()
    page.wait_for_function(  # the timer runs: late for the freeze, time left for the other
        f"() => document.querySelector('#callback-{freeze.pk} .timer').textContent.includes('−')")
    assert "overdue" in (rows.nth(0).get_attribute("class") or "")

    row = page.locator(f"#callback-{later.pk}")
    row.locator("button.take").click()
    row = page.locator(f"#callback-{later.pk}")
    expect(row).to_contain_text("A7001")
    row.locator("details.log-call summary").click()
    row.locator("select[name=outcome]").select_option("answered")
    row.locator("input[name=length]").fill("3:20")
    row.locator("input[name=recording_ref]").fill("RE0123456789")
    row.locator("button[type=submit]", has_text="保存").click()

    expect(page.locator(f"#callback-{later.pk}")).to_have_count(0)  # the old page had it too
    page.wait_for_selector(f"#callback-{freeze.pk}")
    assert page.locator("#callbacks tr.callback").count() == 1
    later.refresh_from_db()
    assert later.state == CallbackState.DONE
    call = Call.objects.get(callback=later)
    assert call.outcome == CallOutcome.CALLBACK_DONE and call.duration_seconds == 200
    assert call.agent_id == agent.pk and call.recording_ref == "RE0123456789"

    page.goto(f"{live_server.url}/console/tickets/{later.ticket.number}/")
    log = page.locator("#call-log").inner_text()
    assert "已回电" in log and "3:20" in log and "A7001" in log and "RE0123456789" in log
    assert "+8613800138000" not in page.content()  # the number is masked everywhere
    assert "已回电" in page.locator("#contact-calls").inner_text()
    assert "电话" in page.locator("ul.timeline").inner_text()
