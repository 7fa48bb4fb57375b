"""The console's notifications: own only, the feed the bell polls, marking read; and the SLA
timer on the inbox row and the ticket page."""

import pytest
from django.test import Client

from tests.factories import make_agent, receive_one
from tests.helpers import console_login
from unlockdesk.staff import notifications
from unlockdesk.staff.models import Agent, Role, StaffNotification

pytestmark = pytest.mark.django_db


def _notify(agent: Agent, key: str = "k1") -> StaffNotification:
    return notifications.notify(recipients=[agent], kind="sla_breach", key=key,
                                url="/console/", render=lambda: ("SLA 已超时：UD-1", "首次回复"))[0]


def test_notify_is_idempotent_per_recipient_and_key() -> None:
    agent = make_agent()
    _notify(agent)
    assert notifications.notify(recipients=[agent], kind="sla_breach", key="k1", url="",
                                render=lambda: ("again", "")) == []
    assert StaffNotification.objects.filter(recipient=agent).count() == 1


def test_feed_shows_only_the_agents_own_and_marking_read_clears_the_count(client: Client) -> None:
    supervisor = make_agent(role=Role.SUPERVISOR)
    other = make_agent(role=Role.SUPERVISOR)
    mine = _notify(supervisor)
    _notify(other, key="theirs")
    console_login(client, supervisor)
    feed = client.get("/console/notifications/feed/").json()
    assert feed["unread"] == 1 and [item["id"] for item in feed["items"]] == [mine.pk]
    page = client.get("/console/notifications/").content.decode()
    assert "SLA 已超时：UD-1" in page and 'id="notification-count" class="badge p1">1<' in page

    assert client.post("/console/notifications/read/", {"id": "x"}).status_code == 400
    client.post("/console/notifications/read/", {"id": str(StaffNotification.objects.get(
        recipient=other).pk)})  # someone else's: nothing changes
    assert StaffNotification.objects.filter(read_at__isnull=True).count() == 2
    client.post("/console/notifications/read/", {})
    assert client.get("/console/notifications/feed/").json()["unread"] == 0
    assert StaffNotification.objects.get(recipient=other).read_at is None


def test_notifications_need_a_signed_in_agent(client: Client) -> None:
    assert client.get("/console/notifications/feed/").status_code == 302
    assert client.post("/console/notifications/read/").status_code == 302


def test_inbox_row_and_ticket_page_show_the_timer_in_words(client: Client) -> None:
    receipt = receive_one()
    console_login(client, make_agent())
    inbox = client.get("/console/").content.decode()
    assert 'data-sla-state="ok"' in inbox and "后到期" in inbox
    page = client.get(f"/console/tickets/{receipt.ticket_number}/").content.decode()
    assert 'id="sla-clocks"' in page and "首次回复" in page and "后到期" in page
