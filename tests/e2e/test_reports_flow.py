"""Reports and the satisfaction survey in Chromium: the supervisor's charts are drawn from the
data, and a customer rates a resolved ticket from the link in the email it sent."""

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from tests.factories import make_agent, receive_one
from tests.helpers import browser_console_login
from tests.reports.builders import make_answer, make_ticket
from unlockdesk.reports.models import CsatSurvey
from unlockdesk.staff.models import Role
from unlockdesk.tickets.models import Category, Status, Ticket
from unlockdesk.tickets.types import Channel

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_reports_page_draws_every_chart_from_the_data(live_server: Any, page: Any) -> None:
    now = timezone.now()
    supervisor = make_agent(role=Role.SUPERVISOR)
    for hours, channel in [(2, Channel.EMAIL), (3, Channel.EMAIL), (30, Channel.CHAT)]:
        ticket = make_ticket(created_at=now - timedelta(hours=hours), channel=channel,
                             category=Category.ACCOUNT_LOCKED, assignee=supervisor,
                             first_response_at=now - timedelta(hours=hours - 1))
        make_answer(ticket=ticket, rating=4, answered_at=now - timedelta(minutes=5), agent=supervisor)
    browser_console_login(page, live_server.url, supervisor)
    page.click("text=报表")
    page.wait_for_url(f"{live_server.url}/console/reports/")
    page.wait_for_selector('canvas[data-report="csat"][data-drawn="1"]')
    assert page.locator('canvas[data-drawn="1"]').count() == 12
    drawn = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('canvas')].map(c => {
        const chart = Chart.getChart(c);
        return [c.dataset.report, chart.data.datasets.reduce(
            (sum, d) => sum + d.data.reduce((a, b) => a + b, 0), 0)];
    }))""")
    assert drawn["volume_channel"] == 3 and drawn["volume_category"] == 3
    assert drawn["first_response"] == 3 and drawn["csat"] == 3 and drawn["csat_agent"] == 4
    box = page.locator('canvas[data-report="volume_channel"]').bounding_box()
    assert box["width"] > 100 and box["height"] > 100
    assert "4" in page.locator("#csat-summary").inner_text()


def test_an_agent_cannot_open_the_reports_page(live_server: Any, page: Any) -> None:
    agent = make_agent(role=Role.AGENT)
    browser_console_login(page, live_server.url, agent)
    assert page.locator("text=报表").count() == 0
    response = page.goto(f"{live_server.url}/console/reports/")
    assert response.status == 403


def test_a_customer_rates_from_the_emailed_link(live_server: Any, new_page: Any, settings: Any) -> None:
    settings.SITE_URL = live_server.url
    receipt = receive_one(sender="rater@example.com", text="我的账户被锁了，请帮忙")
    agent = make_agent(agent_number="A8001")
    console = new_page()
    browser_console_login(console, live_server.url, agent)
    console.goto(f"{live_server.url}/console/tickets/{receipt.ticket_number}/")
    console.select_option("select[name=status]", Status.RESOLVED.value)
    console.click("text=更新状态")
    console.wait_for_selector("#conversation >> text=您对我们的服务满意吗")  # the question, sent
    assert Ticket.objects.get(pk=receipt.ticket_id).status == Status.RESOLVED

    emails = [m for m in mail.outbox if "rater@example.com" in m.to and "/rate/" in m.body]
    assert len(emails) == 1
    link = re.search(r"https?://\S+/rate/\S+/", emails[0].body)
    assert link is not None and receipt.ticket_number not in link.group(0).split("/rate/")[1]

    customer = new_page()
    customer.goto(link.group(0))
    assert receipt.ticket_number in customer.locator("#csat").inner_text()
    customer.check("input[name=rating][value='4']")
    customer.fill("textarea[name=comment]", "很快，谢谢。我的验证码 731942 不用了")
    customer.click("#csat-form button[type=submit]")
    customer.wait_for_selector("#csat-thanks")
    survey = CsatSurvey.objects.get(ticket_id=receipt.ticket_id)
    assert survey.rating == 4 and survey.answered_via == "link" and "731942" not in survey.comment

    customer.goto(link.group(0))  # once only
    assert customer.locator("#csat").get_attribute("data-state") == "answered"
