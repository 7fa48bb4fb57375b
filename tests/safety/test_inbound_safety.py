"""What the pipeline does with a secret or a lookalike link: flag, redact, warn the customer on
the same channel, in their language, once."""

import pytest

from tests.factories import make_account, receive_one
from unlockdesk.tickets.models import Direction, Message, Ticket
from unlockdesk.tickets.services import receive
from unlockdesk.tickets.types import Channel, IdentityKind

pytestmark = pytest.mark.django_db


def _warnings(ticket_id: int) -> list[Message]:
    return list(Message.objects.filter(ticket_id=ticket_id, direction=Direction.OUTBOUND,
                                       headers__auto="safety_warning"))


def test_customer_who_sends_a_password_is_warned_in_chinese_on_the_same_channel() -> None:
    receipt = receive_one(text="我的密码是 Hunter2024!x", channel=Channel.TELEGRAM,
                          sender="tg:42", kind=IdentityKind.TELEGRAM)
    (warning,) = _warnings(receipt.ticket_id)
    assert warning.channel == Channel.TELEGRAM
    assert "密码" in warning.body_text and "冻结" in warning.body_text
    assert "Hunter2024!x" not in warning.body_text


def test_customer_writing_english_is_warned_in_english_with_a_freeze_link() -> None:
    make_account(email="owner@example.com")
    receipt = receive_one(text="my sms code is 482913", subject="help", sender="owner@example.com",
                          verified=True, channel=Channel.WEB)
    (warning,) = _warnings(receipt.ticket_id)
    assert "change your password" in warning.body_text and "/freeze/" in warning.body_text


def test_retried_delivery_warns_only_once() -> None:
    from tests.factories import inbound

    message = inbound(text="password: Qw8#mZ2p")
    first = receive(message)
    again = receive(message)
    assert again.status == "duplicate"
    assert len(_warnings(first.ticket_id)) == 1


def test_ordinary_message_gets_no_warning() -> None:
    receipt = receive_one(text="I forgot my password and my account is locked")
    assert _warnings(receipt.ticket_id) == []


def test_lookalike_link_flags_the_ticket_and_warns_the_customer() -> None:
    receipt = receive_one(text="客服让我登录 https://okx-support.com/verify 验证身份，是真的吗？")
    ticket = Ticket.objects.get(pk=receipt.ticket_id)
    assert "lookalike_link" in ticket.flags and "lookalike_link" in receipt.flags
    (warning,) = _warnings(receipt.ticket_id)
    assert "okx-support.com" in warning.body_text


@pytest.mark.parametrize("text", [
    "他们发来链接 https://0kx。com/login 让我登录",
    "客服说去 okx－support．com 解锁",
    "www.0kx｡com 是官网吗",
])
def test_lookalike_written_with_a_wide_full_stop_is_flagged(text: str) -> None:
    assert "lookalike_link" in receive_one(text=text).flags


@pytest.mark.parametrize("text", [
    "我的账户被锁了。com 是什么意思",
    "I use okx。com every day and my account is locked。Please help",
])
def test_a_sentence_ending_is_not_a_lookalike(text: str) -> None:
    assert "lookalike_link" not in receive_one(text=text).flags


def test_official_link_is_not_flagged() -> None:
    receipt = receive_one(text="I read https://www.okx.com/help/unlock and still need help")
    assert "lookalike_link" not in receipt.flags
    assert _warnings(receipt.ticket_id) == []


def test_free_mail_impersonation_in_a_message_is_flagged() -> None:
    receipt = receive_one(text="I got mail from okx.support@gmail.com asking for my 2FA")
    assert "lookalike_link" in receipt.flags
