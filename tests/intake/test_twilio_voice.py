"""Twilio voice over real HTTP: the fake Twilio posts signed IVR steps and call reports to a
live desk, and click-to-call goes through the SDK to the fake's Calls API.

The IVR's callback choice queues a timed callback and texts the caller through Twilio; a
voicemail is a message and a call in the log; retries store everything once; a bad
signature changes nothing.
"""

import re
from collections.abc import Iterator
from typing import Any
from xml.etree import ElementTree

import pytest

from tests.factories import make_account, make_agent, receive_one
from tests.intake import fake_twilio
from tests.intake.fake_twilio import FakeTwilio, post_signed
from unlockdesk.accounts.models import AccountLock
from unlockdesk.intake import twilio_voice
from unlockdesk.intake.twilio_voice import CallNotPlaced
from unlockdesk.tickets.models import (
    Call,
    CallbackRequest,
    CallbackState,
    EventKind,
    Message,
    Ticket,
)
from unlockdesk.tickets.services.calls import log_call, request_callback
from unlockdesk.tickets.types import (
    CallbackReason,
    CallDirection,
    CallOutcome,
    Channel,
    IdentityKind,
)

pytestmark = pytest.mark.django_db(transaction=True)

CALLER = "+8613800138000"
CUSTOMER = "+8613900139000"


@pytest.fixture
def twilio(settings: Any, live_server: Any) -> Iterator[FakeTwilio]:
    with fake_twilio.running() as fake:
        fake_twilio.use(settings, fake)
        settings.SITE_URL = live_server.url
        yield fake


def _url(live_server: Any, path: str) -> str:
    return f"{live_server.url}/webhooks/twilio/voice/{path}"


def _call(sid: str, **fields: str) -> dict[str, str]:
    return {"CallSid": sid, "AccountSid": fake_twilio.ACCOUNT_SID, "From": CALLER,
            "To": fake_twilio.FROM, "Direction": "inbound", **fields}


def _xml(twiml: str) -> ElementTree.Element:
    return ElementTree.fromstring(twiml)  # noqa: S314 (the desk's own TwiML, in a test)


def _say(twiml: str) -> str:
    return " ".join(e.text or "" for e in _xml(twiml).iter("Say"))


def test_an_incoming_call_hears_the_menu_in_chinese(twilio: FakeTwilio, live_server: Any) -> None:
    status, twiml = post_signed(_url(live_server, ""), _call("CA100"))
    assert status == 200
    gather = _xml(twiml).find("Gather")
    assert gather is not None
    assert gather.get("action") == _url(live_server, "menu/?lang=zh-hans")
    assert "按 1" in _say(twiml) and "For English, press 9." in _say(twiml)


def test_a_bad_signature_is_refused_and_nothing_is_stored(twilio: FakeTwilio, live_server: Any) -> None:
    fields = _call("CA101", Digits="2")
    status, _body = post_signed(_url(live_server, "menu/?lang=zh-hans"), fields,
                                token="not-the-token")
    assert status == 403
    status, _body = post_signed(_url(live_server, "menu/?lang=zh-hans"), fields, signature="")
    assert status == 403
    assert not Ticket.objects.exists() and not CallbackRequest.objects.exists()


def test_pressing_2_queues_a_callback_and_texts_the_ticket_and_time_once(
    twilio: FakeTwilio, live_server: Any
) -> None:
    url = _url(live_server, "menu/?lang=en")
    for _attempt in range(2):  # Twilio retries: one ticket, one callback, one text of the time
        status, twiml = post_signed(url, _call("CA102", Digits="2"))
        assert status == 200 and "request is recorded" in _say(twiml)
    callback = CallbackRequest.objects.get()
    ticket = callback.ticket
    assert callback.number == CALLER and callback.reason == CallbackReason.REQUEST
    assert ticket.messages.filter(external_id="CA102:callback_request").count() == 1
    texts = [m["Body"] for m in twilio.messages if m["To"] == CALLER and "call you back" in m["Body"]]
    assert len(texts) == 1 and ticket.number in texts[0]


def test_a_voicemail_is_a_message_and_one_call_in_the_log(twilio: FakeTwilio, live_server: Any) -> None:
    recorded = _call("CA103", RecordingSid="RE0000000000000000000000000000abcd",
                     RecordingDuration="34",
                     RecordingUrl="https://api.twilio.com/2010-04-01/Accounts/AC/Recordings/RE1")
    for _attempt in range(2):
        status, _twiml = post_signed(_url(live_server, "recorded/?lang=zh-hans"), recorded)
        assert status == 200
    status, _body = post_signed(_url(live_server, "status/"),
                                _call("CA103", CallStatus="completed", CallDuration="51"))
    assert status == 204
    call = Call.objects.get()
    assert call.outcome == CallOutcome.VOICEMAIL and call.direction == CallDirection.INBOUND
    assert call.recording_ref == "RE0000000000000000000000000000abcd" and call.duration_seconds == 34
    message = Message.objects.get(external_id="CA103:voicemail")
    assert call.ticket_id == message.ticket_id and "34" in message.body_text
    assert message.ticket.events.filter(kind=EventKind.CALL).count() == 1


def test_a_missed_call_from_an_unknown_number_is_logged_without_a_ticket(
    twilio: FakeTwilio, live_server: Any
) -> None:
    status, _body = post_signed(_url(live_server, "status/"),
                                _call("CA104", CallStatus="no-answer"))
    assert status == 204
    call = Call.objects.get()
    assert call.outcome == CallOutcome.MISSED and call.ticket_id is None and call.number == CALLER
    status, _body = post_signed(_url(live_server, "status/"), _call("CA105", CallStatus="ringing"))
    assert status == 400 and Call.objects.count() == 1
    status, _body = post_signed(_url(live_server, "status/"),
                                _call("CA106", CallStatus="completed", From="+86" + "1" * 70))
    assert status == 400 and Call.objects.count() == 1


def test_fields_the_desk_does_not_read_may_be_long(twilio: FakeTwilio, live_server: Any) -> None:
    status, _body = post_signed(_url(live_server, "status/"),
                                _call("CA107", CallStatus="completed", CallToken="x" * 2000))
    assert status == 204 and Call.objects.get().outcome == CallOutcome.ANSWERED


def test_the_phone_freeze_puts_the_caller_first_in_the_callback_queue(
    twilio: FakeTwilio, live_server: Any
) -> None:
    account = make_account(phone=CALLER)
    status, twiml = post_signed(_url(live_server, "menu/?lang=zh-hans"), _call("CA106", Digits="1"))
    assert status == 200
    assert _xml(twiml).find("Gather").get("numDigits") == "6"  # type: ignore[union-attr]
    [code] = [m["Body"] for m in twilio.messages if m["To"] == CALLER]
    digits = re.findall(r"\b\d{6}\b", code)[0]
    status, twiml = post_signed(_url(live_server, "freeze/?lang=zh-hans"),
                                _call("CA106", Digits=digits))
    assert status == 200 and "冻结" in _say(twiml)
    assert AccountLock.objects.filter(account=account, lifted_at__isnull=True).exists()
    callback = CallbackRequest.objects.get()
    assert callback.reason == CallbackReason.FREEZE and callback.ticket.priority == 1


def test_click_to_call_rings_the_agent_then_dials_the_customer(
    twilio: FakeTwilio, live_server: Any
) -> None:
    agent = make_agent(agent_number="A7002")
    agent.phone = "+8613700137000"
    agent.save()
    placed = twilio_voice.place_call(agent_phone=agent.phone, customer_number=CUSTOMER,
                                     language="zh-hans")
    [sent] = twilio.calls
    assert sent["Sid"] == placed.sid and sent["To"] == agent.phone
    assert sent["From"] == fake_twilio.FROM
    assert sent["StatusCallback"] == _url(live_server, "status/")
    dial = _xml(sent["Twiml"]).find("Dial")
    assert dial is not None and dial.get("record") == "record-from-answer"
    assert dial.get("action") == _url(live_server, "dialed/")
    assert dial.findtext("Number") == CUSTOMER


def test_a_click_to_call_answered_by_the_customer_closes_the_callback(
    twilio: FakeTwilio, live_server: Any
) -> None:
    agent = make_agent(agent_number="A7003")
    ticket = Ticket.objects.get(pk=receive_one(channel=Channel.PHONE, kind=IdentityKind.PHONE,
                                               sender=CUSTOMER, text="[Callback requested] 请回电",
                                               external_id="CA200:callback_request").ticket_id)
    callback = request_callback(ticket=ticket, number=CUSTOMER)
    placed = twilio_voice.place_call(agent_phone="+8613700137000", customer_number=CUSTOMER,
                                     language="en")
    log_call(ticket=ticket, direction=CallDirection.OUTBOUND, number=CUSTOMER,
             outcome=CallOutcome.IN_PROGRESS, agent=agent, provider_call_id=placed.sid,
             callback=callback)
    dialed = {"CallSid": placed.sid, "AccountSid": fake_twilio.ACCOUNT_SID,
              "DialCallStatus": "completed", "DialCallDuration": "95",
              "RecordingSid": "RE00000000000000000000000000000099"}
    for _attempt in range(2):
        status, _twiml = post_signed(_url(live_server, "dialed/"), dialed)
        assert status == 200
    status, _body = post_signed(_url(live_server, "status/"), {
        "CallSid": placed.sid, "AccountSid": fake_twilio.ACCOUNT_SID, "CallStatus": "completed",
        "CallDuration": "120", "Direction": "outbound-api", "From": fake_twilio.FROM,
        "To": "+8613700137000"})
    assert status == 204
    call = Call.objects.get()
    callback.refresh_from_db()
    assert call.outcome == CallOutcome.CALLBACK_DONE and call.duration_seconds == 95
    assert call.recording_ref == "RE00000000000000000000000000000099"
    assert callback.state == CallbackState.DONE


def test_click_to_call_that_twilio_refuses_stores_nothing(twilio: FakeTwilio, live_server: Any) -> None:
    twilio.fail_next(500)
    with pytest.raises(CallNotPlaced) as refused:
        twilio_voice.place_call(agent_phone="+8613700137000", customer_number=CUSTOMER,
                                language="en")
    assert "Twilio" in refused.value.reason
    with pytest.raises(CallNotPlaced):
        twilio_voice.place_call(agent_phone="", customer_number=CUSTOMER, language="en")
    assert not twilio.calls and not Call.objects.exists()


def test_a_report_of_a_call_the_desk_never_placed_is_refused(twilio: FakeTwilio, live_server: Any) -> None:
    status, _body = post_signed(_url(live_server, "dialed/"), {
        "CallSid": "CA999", "AccountSid": fake_twilio.ACCOUNT_SID, "DialCallStatus": "completed"})
    assert status == 404 and not Call.objects.exists()
