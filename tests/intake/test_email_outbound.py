"""Official email: multipart text + HTML, threading headers, the ticket number in the subject,
the agent's 工号 and the anti-phishing code (or the line explaining it), in zh-hans or en."""

import re
from email import message_from_bytes, policy

import pytest
from django.conf import settings
from django.core import mail as django_mail
from django.utils.html import escape
from django.utils.translation import override

from tests.factories import make_account
from tests.intake.mailfactory import mail
from unlockdesk.helpcenter.services import load_shipped_content
from unlockdesk.intake.mail.ingest import ingest
from unlockdesk.tickets.acknowledgement import materials_checklist
from unlockdesk.tickets.models import Category, Delivery, Direction, Message, Ticket
from unlockdesk.tickets.services import reply

pytestmark = pytest.mark.django_db


def _ingest_and_send(django_capture_on_commit_callbacks, raw: bytes) -> Ticket:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        result = ingest(raw)
    return Ticket.objects.get(number=result.ticket)


def _html(message: django_mail.EmailMessage) -> str:
    return next(str(c) for c, mime in message.alternatives if mime == "text/html")  # type: ignore[attr-defined]


def test_acknowledgement_reaches_the_customer_with_number_checklist_and_headers(
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    ticket = _ingest_and_send(django_capture_on_commit_callbacks,
                              mail(sender="owner@example.com", message_id="<ask@example.com>"))
    [sent] = django_mail.outbox
    assert sent.to == ["owner@example.com"]
    assert f"[{ticket.number}]" in sent.subject
    assert "仅用于欧易账户解锁" in sent.body and ticket.number in sent.body
    assert sent.extra_headers["In-Reply-To"] == "<ask@example.com>"
    assert sent.extra_headers["Auto-Submitted"] == "auto-replied"
    assert "您尚未设置防钓鱼码" in sent.body and "您尚未设置防钓鱼码" in _html(sent)
    assert "绝不会索要您的密码" in _html(sent)
    assert ticket.messages.get(direction="out").delivery == Delivery.SENT


SEED_MAIL = ("您好，我的账户被锁了，无法登录。\nUID：20001234\n注册邮箱：owner@example.com\n"
             "时间：2026-11-24 09:30\n现象：登录提示“账户已冻结”\n已尝试：重置密码，联系在线客服")


def test_first_answer_to_an_account_lock_mail_is_the_acknowledgement_with_the_checklist(
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    load_shipped_content()  # the help center can then suggest articles in the acknowledgement
    ticket = _ingest_and_send(django_capture_on_commit_callbacks,
                              mail(sender="owner@example.com", subject="账户被锁 - 请求解锁", text=SEED_MAIL))
    assert ticket.category == Category.ACCOUNT_LOCKED
    first = ticket.messages.filter(direction=Direction.OUTBOUND).order_by("seq").first()
    assert first is not None and first.headers["auto"] == "acknowledgement"
    [sent] = django_mail.outbox
    assert f"[{ticket.number}]" in sent.subject and f"您的工单号是 {ticket.number}" in sent.body
    with override("zh-hans"):
        checklist = materials_checklist()
    for item in checklist:
        assert item in sent.body and escape(item) in _html(sent)
    assert "以下帮助文章或许能马上解答您的问题：" in sent.body and "/help/" in sent.body


def test_agent_reply_is_multipart_with_threading_headers_agent_number_and_code(
    django_capture_on_commit_callbacks, agent,  # type: ignore[no-untyped-def]
) -> None:
    ticket = _ingest_and_send(django_capture_on_commit_callbacks,
                              mail(sender="owner@example.com", message_id="<ask@example.com>"))
    Ticket.objects.filter(pk=ticket.pk).update(account=make_account(anti_phishing_code="MOON42"))
    django_mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sent_message = reply(ticket=ticket, agent=agent, text="请上传 <b>手持身份证</b> 照片。")
    [sent] = django_mail.outbox
    parsed = message_from_bytes(sent.message().as_bytes(), policy=policy.default)
    assert parsed.get_content_type() == "multipart/alternative"
    assert parsed["Message-ID"] == f"<ud-{sent_message.pk}@okx.com>"
    assert parsed["In-Reply-To"] == "<ask@example.com>" and "<ask@example.com>" in parsed["References"]
    assert f"[{ticket.number}]" in parsed["Subject"]
    for part in (sent.body, _html(sent)):
        assert agent.agent_number in part and "MOON42" in part
    assert "&lt;b&gt;手持身份证&lt;/b&gt;" in _html(sent)
    assert Message.objects.get(pk=sent_message.pk).provider_id == f"<ud-{sent_message.pk}@okx.com>"


def test_english_customer_without_code_gets_the_explaining_line_in_english(
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    _ingest_and_send(django_capture_on_commit_callbacks,
                     mail(subject="Account locked", text="My account is locked, please help."))
    [sent] = django_mail.outbox
    assert "You have not set an anti-phishing code" in sent.body
    assert "You have not set an anti-phishing code" in _html(sent)
    assert "To unlock your account, please prepare" in sent.body


def test_refused_recipient_is_a_final_failure(monkeypatch: pytest.MonkeyPatch,
                                               django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    import smtplib

    def refuse(self: object, *args: object, **kwargs: object) -> int:
        raise smtplib.SMTPRecipientsRefused({"owner@example.com": (550, b"no such user")})

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    ticket = _ingest_and_send(django_capture_on_commit_callbacks, mail(sender="owner@example.com"))
    ack = ticket.messages.get(direction="out")
    assert ack.delivery == Delivery.FAILED and ack.delivery_attempts == 1
    assert "recipient refused" in ack.delivery_error


def test_mail_without_message_id_gets_an_answer_without_bogus_threading_headers(
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    _ingest_and_send(django_capture_on_commit_callbacks, mail(message_id=None))
    [sent] = django_mail.outbox
    assert "In-Reply-To" not in sent.extra_headers and "References" not in sent.extra_headers
    assert sent.extra_headers["Message-ID"].startswith("<ud-")


def test_unreachable_smtp_relay_leaves_the_answer_pending_for_a_retry(settings) -> None:  # type: ignore[no-untyped-def]
    from tests.intake.servers import free_port
    from unlockdesk.tickets.services import outbound

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens there
    ticket = Ticket.objects.get(number=ingest(mail()).ticket)
    ack = ticket.messages.get(direction="out")
    result = outbound.deliver(ack.pk)
    ack.refresh_from_db()
    assert not result.delivered and result.retryable
    assert (ack.delivery, ack.delivery_attempts) == (Delivery.PENDING, 1)
    assert "refused" in ack.delivery_error.lower()


def test_mail_to_an_account_address_carries_its_code_and_a_working_freeze_link(
    client, django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    # The From of the mail that opened the ticket proves nothing, so the ticket has no account;
    # the answer goes to that mailbox, whose owner set the code.
    account = make_account(email="owner@example.com", anti_phishing_code="MOON42")
    ticket = _ingest_and_send(django_capture_on_commit_callbacks, mail(sender="owner@example.com"))
    assert ticket.account is None
    [sent] = django_mail.outbox
    assert "MOON42" in sent.body and "MOON42" in _html(sent)
    assert "您尚未设置防钓鱼码" not in sent.body
    link = re.search(r"https?://\S+?/freeze/[^\s/]+/", sent.body).group()  # type: ignore[union-attr]
    assert f"一步即可冻结账户：{link}" in sent.body and f'一步即可冻结账户：<a href="{link}">' in _html(sent)
    client.post(link.removeprefix(settings.SITE_URL), {"confirm": "on"})
    account.refresh_from_db()
    assert account.locks.filter(lifted_at__isnull=True).exists()


def test_mail_to_an_address_without_account_has_no_freeze_link(
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    _ingest_and_send(django_capture_on_commit_callbacks, mail(sender="stranger@example.com"))
    [sent] = django_mail.outbox
    assert "/freeze/" not in sent.body and "/freeze/" not in _html(sent)
