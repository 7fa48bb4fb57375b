"""Twilio's status callbacks, over real HTTP: the fake Twilio posts them, signed, to a live desk.

The status only moves forward; a text that finally failed marks its ticket reply failed; a
callback with a bad signature changes nothing.
"""

from collections.abc import Iterator

import pytest

from tests.factories import inbound
from tests.intake import fake_twilio
from tests.intake.fake_twilio import FakeTwilio
from unlockdesk.intake.models import SmsDelivery
from unlockdesk.staff.models import Agent
from unlockdesk.tickets.models import Delivery, EventKind, Message, Ticket
from unlockdesk.tickets.services import outbound, receive, reply
from unlockdesk.tickets.types import Channel, IdentityKind

PHONE = "+8613800138000"
REPLY = "专员正在核对您的冻结记录。"


@pytest.fixture
def twilio(settings, live_server) -> Iterator[FakeTwilio]:  # type: ignore[no-untyped-def]
    with fake_twilio.running() as fake:
        fake_twilio.use(settings, fake)
        settings.UNLOCKDESK_TWILIO_STATUS_CALLBACK = f"{live_server.url}/webhooks/twilio/sms-status/"
        yield fake


def sent_reply(agent: Agent, twilio: FakeTwilio) -> tuple[Message, str]:
    receipt = receive(inbound(channel=Channel.PHONE, sender=PHONE, kind=IdentityKind.PHONE,
                              text="[Voicemail] 请回电"))
    message = reply(ticket=Ticket.objects.get(pk=receipt.ticket_id), agent=agent, text=REPLY)
    outbound.deliver(message.pk)  # the task queue (eager in tests) may have sent it already
    message.refresh_from_db()
    assert message.delivery == Delivery.SENT
    [sent] = [m for m in twilio.messages if REPLY in m["Body"]]
    return message, sent["Sid"]


def test_texts_ask_twilio_for_status_callbacks_to_the_configured_url(
        transactional_db: None, twilio: FakeTwilio, settings, agent: Agent) -> None:  # type: ignore[no-untyped-def]
    sent_reply(agent, twilio)

    assert twilio.messages[-1]["StatusCallback"] == settings.UNLOCKDESK_TWILIO_STATUS_CALLBACK


def test_delivered_report_is_recorded(transactional_db: None, twilio: FakeTwilio, agent: Agent) -> None:
    message, sid = sent_reply(agent, twilio)

    assert twilio.report(sid, "sent") == 204
    assert twilio.report(sid, "delivered") == 204

    assert SmsDelivery.objects.get(provider_id=sid).status == "delivered"
    message.refresh_from_db()
    assert message.delivery == Delivery.SENT


def test_undelivered_text_marks_the_reply_failed_with_the_reason(
        transactional_db: None, twilio: FakeTwilio, agent: Agent) -> None:
    message, sid = sent_reply(agent, twilio)

    assert twilio.report(sid, "sent") == 204
    assert twilio.report(sid, "undelivered", error_code=30003) == 204

    record = SmsDelivery.objects.get(provider_id=sid)
    assert record.status == "undelivered" and "30003" in record.error
    message.refresh_from_db()
    assert message.delivery == Delivery.FAILED and "30003" in message.delivery_error
    events = message.ticket.events.filter(kind=EventKind.DELIVERY)
    assert [e.data["delivered"] for e in events.order_by("id")
            if e.data.get("message") == message.pk] == [True, False]


def test_late_or_repeated_reports_never_move_the_status_back(
        transactional_db: None, twilio: FakeTwilio, agent: Agent) -> None:
    message, sid = sent_reply(agent, twilio)

    for status in ("delivered", "sent", "queued", "delivered", "failed"):
        assert twilio.report(sid, status) == 204

    assert SmsDelivery.objects.get(provider_id=sid).status == "delivered"
    message.refresh_from_db()
    assert message.delivery == Delivery.SENT  # a "failed" after "delivered" is stale news


def test_report_with_a_bad_signature_is_refused_and_changes_nothing(
        transactional_db: None, twilio: FakeTwilio, agent: Agent) -> None:
    message, sid = sent_reply(agent, twilio)

    assert twilio.report(sid, "failed", error_code=30008, token="someone-elses-token") == 403

    assert SmsDelivery.objects.get(provider_id=sid).status == "queued"
    message.refresh_from_db()
    assert message.delivery == Delivery.SENT
