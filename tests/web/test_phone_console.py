"""The console's phone views: who may see and act on callbacks, bad input, and click-to-call
from the console through Twilio's SDK to the local fake of its API."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from tests.factories import make_agent, receive_one
from tests.helpers import console_login
from tests.intake import fake_twilio
from tests.intake.fake_twilio import FakeTwilio
from unlockdesk.staff.models import Role
from unlockdesk.tickets.models import Call, CallbackRequest, Queue, Ticket
from unlockdesk.tickets.services.calls import request_callback
from unlockdesk.tickets.types import CallOutcome, Channel, IdentityKind

pytestmark = pytest.mark.django_db

CALLER = "+8613800138000"


@pytest.fixture
def callback() -> CallbackRequest:
    receipt = receive_one(channel=Channel.PHONE, kind=IdentityKind.PHONE, sender=CALLER,
                          text="[Callback requested] 请回电", external_id="CA1:callback_request")
    return request_callback(ticket=Ticket.objects.get(pk=receipt.ticket_id), number=CALLER)


@pytest.fixture
def twilio(settings: Any) -> Iterator[FakeTwilio]:
    with fake_twilio.running() as fake:
        fake_twilio.use(settings, fake)
        yield fake


def test_anonymous_visitors_are_sent_to_the_login_page(client: Client, callback: CallbackRequest) -> None:
    assert client.get("/console/callbacks/").status_code == 302
    response = client.post(f"/console/callbacks/{callback.pk}/log/", {"outcome": "answered"})
    assert response.status_code == 302 and not Call.objects.exists()


def test_an_agent_of_another_queue_cannot_see_or_log_the_callback(
    client: Client, callback: CallbackRequest
) -> None:
    outsider = make_agent(role=Role.AGENT)
    Queue.objects.create(slug="vip", name="VIP").agents.add(outsider)
    console_login(client, outsider)
    assert callback.ticket.number not in client.get("/console/callbacks/").content.decode()
    response = client.post(f"/console/callbacks/{callback.pk}/log/",
                           {"outcome": "answered", "direction": "out"})
    assert response.status_code == 404 and not Call.objects.exists()
    assert client.post(f"/console/callbacks/{callback.pk}/take/").status_code == 404


def test_only_supervisors_give_callbacks_to_others(client: Client, agent: Any,
                                                   callback: CallbackRequest) -> None:
    console_login(client, agent)
    other = make_agent(role=Role.AGENT)
    response = client.post(f"/console/callbacks/{callback.pk}/assign/", {"agent": other.pk})
    assert response.status_code == 403
    callback.refresh_from_db()
    assert callback.assignee_id is None


def test_a_bad_length_is_refused_with_a_clear_message(client: Client, agent: Any,
                                                      callback: CallbackRequest) -> None:
    console_login(client, agent)
    response = client.post(f"/console/callbacks/{callback.pk}/log/",
                           {"outcome": "answered", "direction": "out", "length": "ten minutes"},
                           follow=True)
    assert "例如 3:20" in response.content.decode() and not Call.objects.exists()


def test_a_call_logged_on_the_ticket_answers_its_waiting_callback(
    client: Client, agent: Any, callback: CallbackRequest
) -> None:
    console_login(client, agent)
    response = client.post(f"/console/tickets/{callback.ticket.number}/calls/log/",
                           {"outcome": "answered", "direction": "out", "length": "1:05"})
    assert response.status_code == 302
    call = Call.objects.get()
    assert call.outcome == CallOutcome.CALLBACK_DONE and call.duration_seconds == 65
    page = client.get(f"/console/tickets/{callback.ticket.number}/").content.decode()
    assert 'id="call-log"' in page and CALLER not in page
    log_form = page[page.index('id="log-call-form"'):]
    assert 'name="csrfmiddlewaretoken"' in log_form[:400]


def test_click_to_call_from_the_console_goes_to_twilio_and_is_logged(
    client: Client, agent: Any, callback: CallbackRequest, twilio: FakeTwilio
) -> None:
    agent.phone = "+8613700137000"
    agent.save()
    console_login(client, agent)
    assert "call-now" in client.get("/console/callbacks/").content.decode()
    response = client.post(f"/console/callbacks/{callback.pk}/call/")
    assert response.status_code == 302
    [sent] = twilio.calls
    assert sent["To"] == agent.phone and CALLER in sent["Twiml"]
    call = Call.objects.get()
    assert call.provider_call_id == sent["Sid"] and call.outcome == CallOutcome.IN_PROGRESS
    assert call.callback_id == callback.pk and call.agent_id == agent.pk


def test_click_to_call_without_the_agents_phone_places_nothing(
    client: Client, agent: Any, callback: CallbackRequest, twilio: FakeTwilio
) -> None:
    console_login(client, agent)
    response = client.post(f"/console/callbacks/{callback.pk}/call/", follow=True)
    assert "个人资料" in response.content.decode()
    assert not twilio.calls and not Call.objects.exists()
