"""The phone call log and the callback queue (#17): services, on a frozen clock where time matters."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from unittest import mock

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from tests.factories import make_agent, receive_one
from unlockdesk.intake.models import OutboxItem
from unlockdesk.safety.models import AuditEntry
from unlockdesk.staff.models import Role, StaffNotification
from unlockdesk.tickets import call_selectors
from unlockdesk.tickets.models import (
    Call,
    CallbackReason,
    CallbackRequest,
    CallbackState,
    CallDirection,
    CallOutcome,
    EventKind,
    Priority,
    Ticket,
)
from unlockdesk.tickets.services import calls
from unlockdesk.tickets.services.calls import CallRefused
from unlockdesk.tickets.types import Channel, IdentityKind

pytestmark = pytest.mark.django_db

CALLER = "+8613800138000"
START = datetime(2026, 12, 6, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai


class Clock:
    def __init__(self) -> None:
        self.now = START

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Iterator[Clock]:
    """A frozen clock: every `timezone.now()` in the desk reads it."""
    frozen = Clock()
    with mock.patch("django.utils.timezone.now", side_effect=lambda: frozen.now):
        yield frozen


def _phone_ticket(external_id: str = "CA1:callback_request", priority: Priority | None = None,
                  sender: str = CALLER) -> Ticket:
    receipt = receive_one(channel=Channel.PHONE, kind=IdentityKind.PHONE, sender=sender,
                          text="[Callback requested] 我的账户被盗了", external_id=external_id)
    ticket = Ticket.objects.get(pk=receipt.ticket_id)
    if priority is not None:
        Ticket.objects.filter(pk=ticket.pk).update(priority=priority)
        ticket.refresh_from_db()
    return ticket


def test_callback_is_due_by_priority_and_texts_the_ticket_number_and_time(
    clock: Clock, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.UNLOCKDESK_CALLBACK_DUE_MINUTES = [15, 30, 60, 240]
    ticket = _phone_ticket(priority=Priority.HIGH)
    with django_capture_on_commit_callbacks(execute=True):
        callback = calls.request_callback(ticket=ticket, number=CALLER, language="en",
                                          source_call_id="CA1")
    assert callback.due_at == START + timedelta(minutes=30)
    text = OutboxItem.objects.filter(to=CALLER).latest("pk").body
    assert ticket.number in text and "2026-12-06 10:30 (UTC+8)" in text and "call you back" in text
    event = ticket.events.get(kind=EventKind.CALLBACK)
    assert event.data["new"] == "requested" and event.new_label == "已申请"
    assert AuditEntry.objects.filter(action="callback.requested", target=f"ticket:{ticket.number}").exists()


def test_callback_text_is_in_the_customers_language(
    clock: Clock, django_capture_on_commit_callbacks: Any
) -> None:
    ticket = _phone_ticket()
    with django_capture_on_commit_callbacks(execute=True):
        calls.request_callback(ticket=ticket, number=CALLER, language="zh-hans")
    text = OutboxItem.objects.filter(to=CALLER).latest("pk").body
    assert "回电" in text and ticket.number in text


def test_same_provider_call_gives_the_same_request_and_one_text(
    clock: Clock, django_capture_on_commit_callbacks: Any
) -> None:
    ticket = _phone_ticket()
    with django_capture_on_commit_callbacks(execute=True):
        first = calls.request_callback(ticket=ticket, number=CALLER, source_call_id="CA9")
        again = calls.request_callback(ticket=ticket, number=CALLER, source_call_id="CA9")
    assert first.pk == again.pk and CallbackRequest.objects.count() == 1
    assert OutboxItem.objects.filter(to=CALLER).count() == 1  # the expected time, once


def test_emergency_freeze_callback_comes_first_in_the_queue(clock: Clock, supervisor: Any) -> None:
    normal = _phone_ticket("CA2:callback_request", priority=Priority.URGENT)
    calls.request_callback(ticket=normal, number=CALLER)
    clock.advance(minutes=1)
    frozen = Ticket.objects.get(pk=receive_one(channel=Channel.PHONE, kind=IdentityKind.PHONE,
                                               sender="+8613900139000", text="[Freeze] stolen",
                                               external_id="CA3:freeze").ticket_id)
    freeze = calls.request_callback(ticket=frozen, number="+8613900139000",
                                    reason=CallbackReason.FREEZE)
    assert freeze.due_at == clock.now + timedelta(minutes=5)
    queue = call_selectors.callback_queue(supervisor).rows
    assert [c.ticket_id for c in queue] == [frozen.pk, normal.pk]


def test_a_bad_number_is_refused_and_nothing_is_stored(clock: Clock) -> None:
    ticket = _phone_ticket()
    with pytest.raises(CallRefused) as refused:
        calls.request_callback(ticket=ticket, number="call me maybe")
    assert refused.value.code == "bad_number" and not CallbackRequest.objects.exists()


def test_logging_the_answered_call_closes_the_callback_and_shows_on_the_timeline(
    clock: Clock, agent: Any
) -> None:
    ticket = _phone_ticket()
    callback = calls.request_callback(ticket=ticket, number=CALLER)
    calls.assign_callback(callback, agent, by=agent)
    call = calls.log_call(ticket=ticket, direction=CallDirection.OUTBOUND, number=CALLER,
                          outcome=CallOutcome.ANSWERED, duration_seconds=185, agent=agent,
                          recording_ref="RE123", callback=callback)
    callback.refresh_from_db()
    assert callback.state == CallbackState.DONE and callback.closed_at == clock.now
    assert call.outcome == CallOutcome.CALLBACK_DONE and call.duration_label == "3:05"
    assert call.contact_id == ticket.contact_id and call.masked_number == "+861******8000"
    event = ticket.events.filter(kind=EventKind.CALL).latest("pk")
    assert event.new_label == "已回电" and event.data["agent"] == agent.public_name
    assert call_selectors.callback_queue(agent).count == 0
    assert list(call_selectors.calls_of_ticket(agent, ticket)) == [call]
    assert call_selectors.calls_of_contact(agent, ticket.contact) == [call]
    ticket.refresh_from_db()
    assert ticket.assignee_id == agent.pk  # taken with the callback: nobody held it


def test_an_unanswered_call_is_an_attempt_and_the_callback_stays(clock: Clock, agent: Any) -> None:
    ticket = _phone_ticket()
    callback = calls.request_callback(ticket=ticket, number=CALLER)
    call = calls.log_call(ticket=ticket, direction=CallDirection.OUTBOUND, number=CALLER,
                          outcome=CallOutcome.MISSED, agent=agent, callback=callback)
    callback.refresh_from_db()
    assert call.outcome == CallOutcome.MISSED
    assert callback.state == CallbackState.OPEN and callback.attempts == 1


def test_a_provider_reporting_a_call_twice_completes_one_row(clock: Clock) -> None:
    ticket = _phone_ticket()
    calls.log_call(ticket=ticket, direction=CallDirection.INBOUND, number=CALLER,
                   outcome=CallOutcome.VOICEMAIL, recording_ref="RE9", provider_call_id="CA77")
    again = calls.log_call(ticket=ticket, direction=CallDirection.INBOUND, number=CALLER,
                           outcome=CallOutcome.ANSWERED, duration_seconds=42,
                           provider_call_id="CA77")
    assert Call.objects.count() == 1
    assert again.outcome == CallOutcome.VOICEMAIL and again.duration_seconds == 42
    assert again.recording_ref == "RE9"
    assert ticket.events.filter(kind=EventKind.CALL).count() == 1


def test_bad_call_input_is_refused_and_nothing_changes(clock: Clock, agent: Any) -> None:
    ticket = _phone_ticket()
    other = _phone_ticket("CA6:x", sender="+8613700137000")
    other_callback = calls.request_callback(ticket=other, number="+8613700137000")
    for kwargs, code in [
        ({"duration_seconds": -1}, "bad_duration"),
        ({"outcome": "hung_up"}, "bad_outcome"),
        ({"number": "12"}, "bad_number"),
        ({"callback": other_callback}, "wrong_ticket"),
    ]:
        with pytest.raises(CallRefused) as refused:
            calls.log_call(**{"ticket": ticket, "direction": CallDirection.OUTBOUND,
                              "number": CALLER, "outcome": CallOutcome.ANSWERED, "agent": agent,
                              **kwargs})
        assert refused.value.code == code
    assert not Call.objects.exists()


def test_only_a_supervisor_gives_a_callback_to_someone_else(clock: Clock, agent: Any,
                                                            supervisor: Any) -> None:
    callback = calls.request_callback(ticket=_phone_ticket(), number=CALLER)
    colleague = make_agent(role=Role.AGENT)
    with pytest.raises(CallRefused):
        calls.assign_callback(callback, colleague, by=agent)
    assert calls.assign_callback(callback, colleague, by=supervisor).assignee_id == colleague.pk


def test_a_callback_missed_past_its_due_time_escalates_once(
    clock: Clock, settings: Any, supervisor: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(f"staff.{supervisor.pk}", channel)
    ticket = _phone_ticket(priority=Priority.NORMAL)
    callback = calls.request_callback(ticket=ticket, number=CALLER)
    clock.advance(minutes=59)
    assert calls.escalate_missed_callbacks() == 0
    clock.advance(minutes=2)
    with django_capture_on_commit_callbacks(execute=True):
        assert calls.escalate_missed_callbacks() == 1
    assert calls.escalate_missed_callbacks() == 0  # once
    ticket.refresh_from_db()
    callback.refresh_from_db()
    assert ticket.priority == Priority.HIGH and callback.escalated_at == clock.now
    assert callback.state == CallbackState.OPEN  # still to be called
    assert ticket.events.filter(kind=EventKind.CALLBACK, data__new="missed").count() == 1
    assert AuditEntry.objects.filter(action="callback.missed").count() == 1
    notice = async_to_sync(layer.receive)(channel)
    assert notice["type"] == "staff.notification" and ticket.number in notice["title"]
    assert notice["kind"] == "callback_missed" and "1" in notice["body"]
    assert StaffNotification.objects.get(recipient=supervisor).kind == "callback_missed"


def test_a_callback_done_in_time_never_escalates(clock: Clock, agent: Any) -> None:
    ticket = _phone_ticket()
    callback = calls.request_callback(ticket=ticket, number=CALLER)
    calls.log_call(ticket=ticket, direction=CallDirection.OUTBOUND, number=CALLER,
                   outcome=CallOutcome.ANSWERED, agent=agent, callback=callback)
    clock.advance(hours=5)
    assert calls.escalate_missed_callbacks() == 0


def test_when_the_time_cannot_be_texted_the_timeline_says_so(
    clock: Clock, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    ticket = _phone_ticket()
    settings.UNLOCKDESK_SMS_BACKEND = ""  # SMS off: nothing can be texted
    with django_capture_on_commit_callbacks(execute=True):
        callback = calls.request_callback(ticket=ticket, number=CALLER)
    event = ticket.events.get(kind=EventKind.CALLBACK, data__new="sms_failed")
    assert "SMS is off" in event.data["error"] and event.new_label == "含回电时间的短信未能发送"
    assert CallbackRequest.objects.get().pk == callback.pk  # the callback itself stands


def test_a_more_urgent_ask_moves_the_open_callback_earlier(clock: Clock) -> None:
    ticket = _phone_ticket(priority=Priority.LOW)
    first = calls.request_callback(ticket=ticket, number=CALLER)
    assert first.due_at == START + timedelta(minutes=240)
    again = calls.request_callback(ticket=ticket, number=CALLER, reason=CallbackReason.FREEZE)
    assert again.pk == first.pk and again.due_at == START + timedelta(minutes=5)
    assert again.reason == CallbackReason.FREEZE and CallbackRequest.objects.count() == 1
