"""The console's routing actions over HTTP: presence picker, supervisor's reassign form."""

import pytest
from django.test import Client

from tests.factories import make_agent, receive_one
from tests.helpers import console_login
from unlockdesk.staff.models import Agent, Presence, RoutingProfile
from unlockdesk.tickets.models import EventKind, Queue, Ticket

pytestmark = pytest.mark.django_db


def a_ticket() -> Ticket:
    return Ticket.objects.get(number=receive_one().ticket_number)


def test_an_agent_picks_a_presence_without_javascript(client: Client, agent: Agent) -> None:
    console_login(client, agent)
    response = client.post("/console/presence/", {"presence": "away", "next": "/console/?mine=1"})
    assert response.status_code == 302 and response["Location"] == "/console/?mine=1"
    profile = RoutingProfile.objects.get(agent=agent)
    assert profile.chosen == Presence.AWAY and profile.presence == Presence.OFFLINE  # no console open


def test_a_bad_presence_or_foreign_next_changes_nothing(client: Client, agent: Agent) -> None:
    console_login(client, agent)
    response = client.post("/console/presence/", {"presence": "asleep", "next": "https://evil.example/"})
    assert response["Location"] == "/console/"
    assert not RoutingProfile.objects.filter(agent=agent, chosen="asleep").exists()


def test_the_header_shows_the_presence_picker_in_words(client: Client, agent: Agent) -> None:
    console_login(client, agent)
    page = client.get("/console/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'id="presence-select"' in page and "在线" in page and "离开" in page


def test_an_agent_may_not_reassign(client: Client, agent: Agent) -> None:
    ticket = a_ticket()
    console_login(client, agent)
    response = client.post(f"/console/tickets/{ticket.number}/reassign/", {"agent": agent.pk})
    assert response.status_code == 403
    assert Ticket.objects.get(pk=ticket.pk).assignee is None


def test_the_reassign_form_is_shown_to_supervisors_only(client: Client, agent: Agent,
                                                        supervisor: Agent) -> None:
    ticket = a_ticket()
    console_login(client, agent)
    assert 'id="reassign-form"' not in client.get(f"/console/tickets/{ticket.number}/").content.decode()
    boss = console_login(Client(), supervisor)
    assert 'id="reassign-form"' in boss.get(f"/console/tickets/{ticket.number}/").content.decode()


def test_a_supervisor_reassigns_then_unassigns(client: Client, agent: Agent, supervisor: Agent) -> None:
    ticket = a_ticket()
    console_login(client, supervisor)
    client.post(f"/console/tickets/{ticket.number}/reassign/", {"agent": agent.pk})
    assert Ticket.objects.get(pk=ticket.pk).assignee == agent
    client.post(f"/console/tickets/{ticket.number}/reassign/", {"agent": ""})
    assert Ticket.objects.get(pk=ticket.pk).assignee is None
    assert ticket.events.filter(kind=EventKind.UNASSIGNED).exists()


def test_a_supervisor_gets_a_clear_error_for_an_agent_outside_the_queue(
        client: Client, supervisor: Agent) -> None:
    ticket = a_ticket()
    outsider = make_agent()
    Queue.objects.create(slug="other", name="Other").agents.add(outsider)
    console_login(client, supervisor)
    response = client.post(f"/console/tickets/{ticket.number}/reassign/", {"agent": outsider.pk},
                           follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "does not work this ticket" in response.content.decode()
    assert Ticket.objects.get(pk=ticket.pk).assignee is None
    bad = client.post(f"/console/tickets/{ticket.number}/reassign/", {"agent": "abc"}, follow=True,
                      HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 200 and Ticket.objects.get(pk=ticket.pk).assignee is None
