"""Customers who write Traditional Chinese (Hong Kong, Taiwan, overseas) are understood and
answered in their script; the rules and articles are still written once, in Simplified."""

import subprocess
import sys
from email.message import EmailMessage

import pytest
from django.test import Client

from tests.factories import receive_one
from unlockdesk.chinese import is_traditional, script_of, to_simplified, to_traditional
from unlockdesk.helpcenter import selectors as help_selectors
from unlockdesk.helpcenter.services import LoadReport, load_shipped_content
from unlockdesk.intake.mail.ingest import ingest
from unlockdesk.tickets.models import Category, Direction, Ticket
from unlockdesk.tickets.triage import triage


@pytest.fixture
def help_content(db: None) -> LoadReport:
    return load_shipped_content()


def test_script_is_told_apart_and_converted_with_regional_words() -> None:
    assert is_traditional("我的帳戶被凍結了，無法登入")
    assert not is_traditional("我的账户被冻结了，无法登录")
    assert not is_traditional("my account is locked")
    assert script_of("請問") == "zh-hant"
    assert to_simplified("帳戶被凍結，無法登入") == "账户被冻结，无法登录"
    assert to_traditional("账户被冻结，无法登录") == "帳戶被凍結，無法登入"


def test_traditional_complaint_is_triaged_like_the_simplified_one() -> None:
    assert triage("帳戶被凍結", "請幫我解鎖").category == Category.ACCOUNT_LOCKED
    assert triage("", "帳號被盜，資產被轉走").category == Category.STOLEN_ACCOUNT


@pytest.mark.django_db
def test_big5_mail_about_a_frozen_account_is_answered_in_traditional() -> None:
    message = EmailMessage()
    message["From"] = "chan.taiman@example.hk"
    message["To"] = "support@okx.com"
    message["Subject"] = "帳戶被凍結"
    message["Message-ID"] = "<big5-frozen@example.hk>"
    message.set_content("您好，我的帳戶被凍結了，無法登入，請幫我解鎖。", charset="big5")
    raw = message.as_bytes()
    assert b"big5" in raw.lower()

    ingest(raw)
    ticket = Ticket.objects.get()
    assert ticket.category == Category.ACCOUNT_LOCKED and ticket.queue.slug == "unlock"
    assert ticket.language == "zh-hant"
    ack = ticket.messages.get(direction=Direction.OUTBOUND).body_text
    assert ticket.number in ack and "工單" in ack and "工单" not in ack


@pytest.mark.django_db
def test_simplified_writer_still_gets_simplified() -> None:
    ticket = Ticket.objects.get(pk=receive_one(text="我的账户被冻结了").ticket_id)
    assert ticket.language == "zh-hans"
    assert "工单" in ticket.messages.get(direction=Direction.OUTBOUND).body_text


@pytest.mark.django_db
def test_help_search_finds_the_same_articles_for_a_traditional_question(help_content: LoadReport) -> None:
    simplified = help_selectors.search("账户被冻结", "zh-hans")
    traditional = help_selectors.search("帳戶被凍結", "zh-hant")
    assert traditional and [h.slug for h in traditional] == [h.slug for h in simplified]
    assert traditional[0].title == to_traditional(simplified[0].title)
    assert is_traditional(traditional[0].title)


@pytest.mark.django_db
def test_pages_speak_traditional_to_a_taiwanese_browser(client: Client, help_content: LoadReport) -> None:
    body = client.get("/help/", HTTP_ACCEPT_LANGUAGE="zh-TW,zh;q=0.9").content.decode()
    assert 'lang="zh-hant"' in body
    assert "帳戶" in body and "账户" not in body


def test_search_help_command_takes_traditional() -> None:
    result = subprocess.run([sys.executable, "-m", "unlockdesk.cli", "search-help", "--help"],
                            capture_output=True, text=True, check=True, timeout=60)
    assert "zh-hant" in result.stdout
