"""Search across tickets: what an agent can find, and what they never can.

Backend-neutral on purpose: the same tests run on SQLite (FTS5, the default) and on
PostgreSQL (tsvector + GIN) with DATABASE_URL set.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from tests.factories import make_account, make_agent, receive_one
from unlockdesk.accounts.models import Transaction
from unlockdesk.accounts.types import TransactionKind
from unlockdesk.staff.models import Agent, Role
from unlockdesk.tickets import selectors
from unlockdesk.tickets.exceptions import TicketAccessDenied
from unlockdesk.tickets.models import Direction, Message, Queue, Status, Ticket
from unlockdesk.tickets.search import backends, search_tickets
from unlockdesk.tickets.selectors import InboxFilters
from unlockdesk.tickets.services import receive
from unlockdesk.tickets.types import Channel, IdentityKind, InboundMessage, SenderIdentity

pytestmark = pytest.mark.django_db

EVERYTHING = InboxFilters(status="all")


def found(agent: Agent, query: str, filters: InboxFilters = EVERYTHING) -> list[str]:
    return [hit.ticket.number for hit in search_tickets(agent, query, filters).hits]


def noise() -> None:
    """Other tickets, so a search that returned everything would fail."""
    receive_one(text="请问怎么修改登录密码的提示语言", subject="修改语言", sender="noise1@example.com")
    receive_one(text="Where can I download the desktop app?", subject="App download",
                sender="noise2@example.com")


def test_finds_a_chinese_phrase_from_the_third_message(agent: Agent) -> None:
    noise()
    first = receive_one(text="你好，我需要帮助", subject="求助", sender="li@example.com")
    receive_one(text="我的账户登录不了", sender="li@example.com", ticket_number=first.ticket_number)
    receive_one(text="昨天开始我无法提币到冷钱包地址", sender="li@example.com",
                ticket_number=first.ticket_number)
    holding = Message.objects.get(ticket__number=first.ticket_number, body_text__contains="无法提币")
    assert holding.seq >= 3 and holding.direction == Direction.INBOUND
    assert found(agent, "无法提币") == [first.ticket_number]
    assert found(agent, "冷钱包") == [first.ticket_number]


def test_both_scripts_of_chinese_find_each_other(agent: Agent) -> None:
    noise()
    simplified = receive_one(text="我的冷钱包地址无法提币", subject="提币失败", sender="s@example.com")
    traditional = receive_one(text="我的帳戶被凍結了，無法登入", subject="帳戶被凍結", sender="t@example.hk")
    assert found(agent, "冷錢包") == [simplified.ticket_number]
    assert found(agent, "账户被冻结") == [traditional.ticket_number]


def test_english_words_are_stemmed(agent: Agent) -> None:
    noise()
    receipt = receive_one(text="My withdrawal has been pending for two days", subject="",
                          sender="sam@example.com")
    assert found(agent, "withdrawals pending") == [receipt.ticket_number]
    assert found(agent, "withdrawals refunded") == []


def test_finds_by_the_contacts_email_and_phone(agent: Agent) -> None:
    noise()
    by_mail = receive_one(text="账户被锁", sender="Wang.Fang@Example.com")
    by_phone = receive_one(text="电话咨询", channel=Channel.PHONE, kind=IdentityKind.PHONE,
                           sender="+8613800138000", subject="")
    assert found(agent, "wang.fang@example.com") == [by_mail.ticket_number]
    assert found(agent, "138 0013 8000") == [by_phone.ticket_number]
    assert found(agent, "+86 13800138000") == [by_phone.ticket_number]


def test_finds_by_a_social_handle(agent: Agent) -> None:
    noise()
    receipt = receive(InboundMessage(
        channel=Channel.X, external_id="x-dm-1", text="help, locked out",
        sender=SenderIdentity(IdentityKind.X, "x:777001", display_name="@satoshi_fan"),
    ))
    assert found(agent, "@satoshi_fan") == [receipt.ticket_number]
    assert found(agent, "x:777001") == [receipt.ticket_number]


def test_finds_by_uid_and_transaction_hash_and_id(agent: Agent) -> None:
    noise()
    account = make_account(uid="31415926", email="owner@example.com")
    receipt = receive_one(text="提币一直没有到账", sender="owner@example.com", verified=True)
    assert Ticket.objects.get(number=receipt.ticket_number).account_id == account.pk
    tx_hash = "0x" + "9f3c2a71" * 8
    Transaction.objects.create(
        account=account, tx_id="W20261206000042", tx_hash=tx_hash, occurred_at=timezone.now(),
        kind=TransactionKind.WITHDRAWAL, asset="USDT", amount=Decimal("1500"))
    assert found(agent, "31415926") == [receipt.ticket_number]
    assert found(agent, tx_hash) == [receipt.ticket_number]
    assert found(agent, tx_hash.upper().replace("0X", "0x")) == [receipt.ticket_number]
    assert found(agent, "W20261206000042") == [receipt.ticket_number]


def test_finds_a_hash_the_customer_pasted_into_a_message(agent: Agent) -> None:
    noise()
    tx_hash = "7d1a" * 16
    receipt = receive_one(text=f"转账哈希是 {tx_hash} 请查一下", sender="hash@example.com")
    assert found(agent, tx_hash) == [receipt.ticket_number]


def test_finds_by_ticket_number_however_typed(agent: Agent) -> None:
    noise()
    receipt = receive_one(text="请帮忙", sender="num@example.com")
    typed = receipt.ticket_number.lower().replace("-", " ")
    assert found(agent, typed) == [receipt.ticket_number]


def test_a_redacted_secret_is_not_findable(agent: Agent) -> None:
    receipt = receive_one(text="我的密码是 Hunter2024!x 验证码 731942 快帮我解冻账户",
                          sender="secret@example.com")
    assert receipt.redactions
    assert found(agent, "解冻账户") == [receipt.ticket_number]  # the rest of the text is indexed
    assert found(agent, "Hunter2024") == []
    assert found(agent, "731942") == []


def test_an_agent_limited_to_a_queue_finds_only_that_queues_tickets(agent: Agent) -> None:
    billing = Queue.objects.create(slug="billing-test", name="Billing")
    security = Queue.objects.create(slug="security-test", name="Security")
    mine = receive_one(text="冷钱包提币失败", sender="a@example.com")
    theirs = receive_one(text="冷钱包提币失败", sender="b@example.com")
    Ticket.objects.filter(number=mine.ticket_number).update(queue=billing)
    Ticket.objects.filter(number=theirs.ticket_number).update(queue=security)
    billing.agents.add(agent)

    assert found(agent, "冷钱包") == [mine.ticket_number]
    assert found(agent, "b@example.com") == []
    assert [t.number for t in selectors.inbox_for(agent, InboxFilters()).tickets] == [
        mine.ticket_number]
    with pytest.raises(TicketAccessDenied):
        selectors.ticket_for_agent(agent, theirs.ticket_number)
    supervisor = make_agent(role=Role.SUPERVISOR)
    assert sorted(found(supervisor, "冷钱包")) == sorted([mine.ticket_number, theirs.ticket_number])


def test_filters_combine_with_the_search(agent: Agent) -> None:
    email = receive_one(text="deposit missing since Monday", sender="f1@example.com")
    telegram = receive_one(text="deposit missing since Monday", channel=Channel.TELEGRAM,
                           kind=IdentityKind.TELEGRAM, sender="tg:5", subject="")
    old = receive_one(text="deposit missing since Monday", sender="f2@example.com")
    Ticket.objects.filter(number=old.ticket_number).update(
        created_at=timezone.now() - timedelta(days=400), status=Status.CLOSED)
    assert found(agent, "deposit", InboxFilters(status="all", channel="telegram")) == [
        telegram.ticket_number]
    assert found(agent, "deposit", InboxFilters(status="closed")) == [old.ticket_number]
    recent = InboxFilters(status="all", created_from=(timezone.now() - timedelta(days=30)).date())
    assert sorted(found(agent, "deposit", recent)) == sorted(
        [email.ticket_number, telegram.ticket_number])


def test_hits_carry_a_highlighted_escaped_snippet(agent: Agent) -> None:
    receive_one(text="第一条", sender="s@example.com", subject="x")
    receipt = receive_one(text="<b>hi</b> my withdrawals stopped after the upgrade",
                          sender="s2@example.com", subject="")
    [hit] = search_tickets(agent, "withdrawal", EVERYTHING).hits
    assert hit.ticket.number == receipt.ticket_number
    assert "<mark>withdrawals</mark>" in str(hit.snippet)
    assert "&lt;b&gt;hi&lt;/b&gt;" in str(hit.snippet)


def test_an_exact_identifier_ranks_above_text_mentions(agent: Agent) -> None:
    mention = receive_one(text="my friend vip.trader@example.com also has this problem",
                          sender="other@example.com")
    owner = receive_one(text="help", sender="vip.trader@example.com")
    assert found(agent, "vip.trader@example.com") == [owner.ticket_number, mention.ticket_number]


def test_search_pages_with_a_cursor(agent: Agent) -> None:
    numbers = {receive_one(text="margin call question", sender=f"m{i}@example.com").ticket_number
               for i in range(5)}
    first = search_tickets(agent, "margin", EVERYTHING, limit=3)
    second = search_tickets(agent, "margin", EVERYTHING, after=first.next_cursor, limit=3)
    assert second.next_cursor == ""
    assert {h.ticket.number for h in first.hits + second.hits} == numbers


def test_customers_and_inactive_staff_cannot_search(agent: Agent) -> None:
    agent.is_active = False
    with pytest.raises(TicketAccessDenied):
        search_tickets(agent, "anything", EVERYTHING)


def test_a_conversation_past_the_documents_limit_keeps_its_earlier_text_findable(
        agent: Agent, monkeypatch: pytest.MonkeyPatch) -> None:
    """PostgreSQL: a tsvector cannot pass 1 MB, so a document at its limit takes no more text
    (written with the ticket row, as a CASE, not a statement of its own)."""
    if connection.vendor != "postgresql":
        pytest.skip("the limit is PostgreSQL's tsvector's")
    monkeypatch.setattr(backends, "_PG_DOCUMENT_LIMIT", 64)
    first = receive_one(text="冷钱包 withdrawal frozen " * 20, subject="提币", sender="big@example.com")
    receive_one(text="passport renewal", sender="big@example.com", ticket_number=first.ticket_number)
    assert found(agent, "withdrawal") == [first.ticket_number]
    assert found(agent, "passport") == []  # past the limit: not added
    assert Message.objects.filter(ticket__number=first.ticket_number).count() >= 2
