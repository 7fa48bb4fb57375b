"""SMS through Alibaba Cloud SMS's SDK against a local fake of its API (signature checked).

Mainland SMS sends approved templates: the code, the reply notice and the status notice each
go as their template with their parameters, to the number in Aliyun's form.
"""

import json
from collections.abc import Iterator

import pytest

from tests.factories import inbound
from tests.intake import fake_aliyun
from tests.intake.fake_aliyun import FakeAliyun
from unlockdesk.accounts import codes
from unlockdesk.intake.models import SmsDelivery
from unlockdesk.staff.models import Agent
from unlockdesk.tickets.models import Delivery, Message, Ticket
from unlockdesk.tickets.services import outbound, receive, reply
from unlockdesk.tickets.types import Channel, IdentityKind

pytestmark = pytest.mark.django_db

PHONE = "+8613800138000"


@pytest.fixture
def aliyun(settings) -> Iterator[FakeAliyun]:  # type: ignore[no-untyped-def]
    with fake_aliyun.running() as fake:
        fake_aliyun.use(settings, fake)
        yield fake


def pending_reply(agent: Agent, sender: str = PHONE) -> Message:
    receipt = receive(inbound(channel=Channel.PHONE, sender=sender, kind=IdentityKind.PHONE,
                              text="[Voicemail] 请回电"))
    return reply(ticket=Ticket.objects.get(pk=receipt.ticket_id), agent=agent, text="专员正在核对。")


def test_sign_in_code_goes_as_the_code_template(aliyun: FakeAliyun) -> None:
    codes.send_code("phone", PHONE)

    [sent] = aliyun.messages
    assert sent["PhoneNumbers"] == "13800138000" and sent["SignName"] == fake_aliyun.SIGN_NAME
    assert sent["TemplateCode"] == "SMS_100001"
    code = json.loads(sent["TemplateParam"])["code"]
    codes.verify_code("phone", PHONE, code)  # the texted code is the one that signs in
    record = SmsDelivery.objects.get()
    assert (record.provider, record.provider_id, record.status) == ("aliyun", sent["BizId"], "accepted")


def test_reply_goes_as_the_reply_notice_with_the_ticket_number(aliyun: FakeAliyun, agent: Agent) -> None:
    message = pending_reply(agent)

    assert outbound.deliver(message.pk).delivered

    [sent] = [m for m in aliyun.messages if m["TemplateCode"] == "SMS_100002"]
    assert json.loads(sent["TemplateParam"]) == {"ticket": message.ticket.number}
    message.refresh_from_db()
    assert message.delivery == Delivery.SENT and message.provider_id == f"aliyun:{sent['BizId']}"


def test_illegal_number_is_a_failed_delivery_with_aliyuns_code(aliyun: FakeAliyun, agent: Agent) -> None:
    message = pending_reply(agent, sender="+86" + fake_aliyun.ILLEGAL_NUMBER)

    result = outbound.deliver(message.pk)

    message.refresh_from_db()
    assert not result.delivered and not result.retryable
    assert message.delivery == Delivery.FAILED and "isv.MOBILE_NUMBER_ILLEGAL" in message.delivery_error


def test_aliyun_outage_is_retried_and_then_sent(aliyun: FakeAliyun, agent: Agent) -> None:
    message = pending_reply(agent)
    aliyun.fail_next(503)

    assert outbound.deliver(message.pk).retryable
    message.refresh_from_db()
    assert message.delivery == Delivery.PENDING and "ServiceUnavailable" in message.delivery_error

    assert outbound.deliver(message.pk).delivered


def test_wrong_secret_is_refused_by_the_signature_check(aliyun: FakeAliyun, settings,  # type: ignore[no-untyped-def]
                                                        agent: Agent) -> None:
    settings.UNLOCKDESK_ALIYUN_ACCESS_KEY_SECRET = "not-the-secret"
    message = pending_reply(agent)

    outbound.deliver(message.pk)

    message.refresh_from_db()
    assert message.delivery == Delivery.FAILED and "IncompleteSignature" in message.delivery_error
    assert aliyun.messages == []


def test_text_without_a_configured_template_fails_with_the_reason(aliyun: FakeAliyun, settings,  # type: ignore[no-untyped-def]
                                                                  agent: Agent) -> None:
    settings.UNLOCKDESK_ALIYUN_SMS_TEMPLATES = "code=SMS_100001"
    message = pending_reply(agent)

    outbound.deliver(message.pk)

    message.refresh_from_db()
    assert message.delivery == Delivery.FAILED
    assert "no template configured for 'reply'" in message.delivery_error
