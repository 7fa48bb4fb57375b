"""The agent console: inbox filters, pagination, ticket actions, API permissions."""

import pytest
from django.test import Client

from tests.factories import make_agent, receive_one
from tests.helpers import console_login
from unlockdesk.staff.models import Agent
from unlockdesk.tickets.models import Status, Ticket
from unlockdesk.tickets.types import Channel, IdentityKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client: Client, agent: Agent) -> Client:
    return console_login(client, agent)


def test_inbox_filters_by_channel_and_priority(signed_in: Client) -> None:
    locked = receive_one(text="账户被锁了")  # email, P2
    stolen = receive_one(text="account hacked!", channel=Channel.TELEGRAM, kind=IdentityKind.TELEGRAM,
                         sender="tg:1", subject="")
    body = signed_in.get("/console/", {"channel": "telegram"}).content.decode()
    assert stolen.ticket_number in body and locked.ticket_number not in body
    body = signed_in.get("/console/", {"priority": "2"}).content.decode()
    assert locked.ticket_number in body and stolen.ticket_number not in body


def test_inbox_is_paginated_on_the_server(signed_in: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.UNLOCKDESK_INBOX_PAGE_SIZE = 3
    numbers = {receive_one(sender=f"c{i}@example.com").ticket_number for i in range(7)}
    seen: list[str] = []
    after = ""
    for _page in range(3):
        response = signed_in.get("/console/", {"after": after} if after else {})
        shown = [t.number for t in response.context["tickets"]]
        assert len(shown) <= 3
        seen += shown
        after = response.context["next_cursor"]
    assert sorted(seen) == sorted(numbers) and after == ""


def test_inbox_finds_a_ticket_by_a_sloppily_typed_number(signed_in: Client) -> None:
    receipt = receive_one()
    typed = receipt.ticket_number.lower().replace("-", " ")
    hits = signed_in.get("/console/", {"q": typed, "status": "all"}).context["hits"]
    assert [hit.ticket.number for hit in hits] == [receipt.ticket_number]


def test_agent_replies_and_resolves_from_the_ticket_page(signed_in: Client, agent: Agent) -> None:
    receipt = receive_one()
    url = f"/console/tickets/{receipt.ticket_number}/"
    signed_in.post(url + "reply/", {"text": "正在处理", "client_id": "0f8fad5b-d9cb-469f-a165-70867728950e"})
    signed_in.post(url + "status/", {"status": Status.RESOLVED})
    ticket = Ticket.objects.get(pk=receipt.ticket_id)
    assert ticket.status == Status.RESOLVED
    assert ticket.messages.filter(author=agent, body_text="正在处理").exists()


def test_empty_reply_changes_nothing(signed_in: Client) -> None:
    receipt = receive_one()
    before = Ticket.objects.get(pk=receipt.ticket_id).messages.count()
    signed_in.post(f"/console/tickets/{receipt.ticket_number}/reply/",
                   {"text": "", "client_id": "0f8fad5b-d9cb-469f-a165-70867728950e"})
    assert Ticket.objects.get(pk=receipt.ticket_id).messages.count() == before


def test_reply_form_requires_csrf(agent: Agent) -> None:
    client = Client(enforce_csrf_checks=True)
    console_login_with_csrf(client, agent)
    receipt = receive_one()
    response = client.post(f"/console/tickets/{receipt.ticket_number}/reply/", {"text": "hi"})
    assert response.status_code == 403


def console_login_with_csrf(client: Client, agent: Agent) -> None:
    client.get("/console/login/")
    token = client.cookies["csrftoken"].value
    from tests.factories import PASSWORD

    client.post("/console/login/", {"username": agent.username, "password": PASSWORD,
                                    "csrfmiddlewaretoken": token})


def test_unknown_ticket_is_404_not_500(signed_in: Client) -> None:
    assert signed_in.get("/console/tickets/UD-ZZZZZZ/").status_code == 404
    assert signed_in.get("/console/tickets/<script>/").status_code == 404


def test_api_ticket_detail_for_agents_only(client: Client, signed_in: Client) -> None:
    receipt = receive_one()
    assert signed_in.get(f"/api/tickets/{receipt.ticket_number}").json()["number"] == receipt.ticket_number
    assert signed_in.get("/api/tickets/UD-ZZZZZZ").status_code == 404
    assert Client().get(f"/api/tickets/{receipt.ticket_number}").status_code == 401
    messages = signed_in.get(f"/api/tickets/{receipt.ticket_number}/messages", {"after": 1}).json()
    assert [m["seq"] for m in messages] == [2]


def test_inactive_agent_is_refused(client: Client) -> None:
    agent = make_agent()
    console_login(client, agent)
    Agent.objects.filter(pk=agent.pk).update(is_active=False)
    response = client.get("/console/")
    assert response.status_code == 302
