"""People read words, not the codes the desk stores: flags, queues, timeline actors, states and
removed secrets, in the reader's language."""

import pytest
from django.test import Client
from django.utils import translation

from tests.factories import receive_one
from tests.helpers import console_login, portal_login
from unlockdesk.staff.models import Agent
from unlockdesk.tickets.labels import actor_label
from unlockdesk.tickets.models import Status, Ticket
from unlockdesk.tickets.services.workflow import change_status

pytestmark = pytest.mark.django_db

SECRET = "我的密码是 Hunter2-Secret!9 请帮我看看"


def test_console_ticket_page_speaks_chinese_instead_of_codes(client: Client, agent: Agent) -> None:
    receipt = receive_one(text=SECRET, sender="li@example.com")
    ticket = Ticket.objects.get(pk=receipt.ticket_id)
    change_status(ticket, Status.WAITING_US, by=agent)
    body = console_login(client, agent).get(f"/console/tickets/{ticket.number}/",
                                            HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert "secret_redacted" not in body and "已删除敏感信息" in body
    assert "contact:" not in body and "agent:" not in body
    assert f"客服 {agent.agent_number}" in body
    assert "Hunter2" not in body
    queue = str(ticket.queue)
    assert queue in body and queue not in ("Unlock", "General", "Security")


def test_customer_reads_what_was_removed_and_why_not_a_placeholder(client: Client) -> None:
    receipt = receive_one(text=SECRET, sender="li@example.com", verified=True)
    body = portal_login(client, "li@example.com").get(
        f"/portal/tickets/{receipt.ticket_number}/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert "[REDACTED" not in body and "Hunter2" not in body
    assert "已删除：密码。我们不会保存，客服也绝不会向您索要" in body


def test_timeline_actors_in_words() -> None:
    with translation.override("en"):
        assert actor_label("system:verification") == "Automated checks"
        assert actor_label("customer:12") == "Customer"
        assert actor_label("agent:T0007") == "Agent T0007"


def test_admin_names_sla_policies_in_plain_english() -> None:
    from django.contrib import admin

    from unlockdesk.tickets.models import SlaPolicy

    assert SlaPolicy in admin.site._registry
    assert str(SlaPolicy._meta.verbose_name_plural) == "SLA policies"
