"""Merging tickets of one customer and splitting a message out: nothing lost, numbers consistent."""

import pytest

from tests.factories import make_agent, receive_one
from unlockdesk.safety.models import AuditEntry
from unlockdesk.staff.models import Agent
from unlockdesk.tickets.exceptions import TicketAccessDenied
from unlockdesk.tickets.models import Attachment, Direction, EventKind, Message, Queue, Status, Ticket
from unlockdesk.tickets.search import search_tickets
from unlockdesk.tickets.selectors import InboxFilters
from unlockdesk.tickets.services import (
    TicketMergeRefused,
    merge_tickets,
    move_to_queue,
    reply,
    set_tags,
    split_message,
)
from unlockdesk.tickets.types import InboundAttachment

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99"
    b"=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)


def _ticket(text: str, sender: str = "same@example.com", **kwargs: object) -> Ticket:
    return Ticket.objects.get(pk=receive_one(text=text, sender=sender, **kwargs).ticket_id)


def test_merge_keeps_messages_attachments_timeline_and_numbers(agent: Agent) -> None:
    keep = _ticket("我的账户被锁了，无法登录")
    other = _ticket("提现申请一直在审核中，订单号 88231",
                    attachments=(InboundAttachment("shot.png", PNG, "image/png"),))
    reply(ticket=other, agent=agent, text="我们正在查看您的提现。")
    set_tags(other, ["withdrawal"], by=agent)
    keep_seq_before = keep.last_seq
    other_messages = list(other.messages.order_by("seq").values_list("body_text", flat=True))
    other_events = other.events.count()

    merge_tickets(keep=keep, other=other, by=agent)

    keep.refresh_from_db()
    other.refresh_from_db()
    moved = list(keep.messages.filter(seq__gt=keep_seq_before).order_by("seq"))
    assert [m.body_text for m in moved] == other_messages
    assert [m.seq for m in moved] == list(range(keep_seq_before + 1, keep_seq_before + 1 + len(moved)))
    assert keep.last_seq == keep_seq_before + len(moved)
    assert moved[0].headers["merged_from"] == {"ticket": other.number, "seq": 1}
    assert Attachment.objects.get(filename="shot.png").message.ticket_id == keep.pk
    assert keep.events.count() >= other_events + 1  # moved, plus the merge itself
    assert keep.events.filter(kind=EventKind.MERGED).exists()
    assert [t.name for t in keep.tags.all()] == ["withdrawal"]
    assert other.status == Status.CLOSED and other.merged_into_id == keep.pk
    assert other.events.filter(kind=EventKind.MERGED, data__into=keep.number).exists()
    assert AuditEntry.objects.filter(action="ticket.merge", target=f"ticket:{keep.number}").exists()


def test_the_customer_is_told_on_the_merged_tickets_channel_in_their_language(agent: Agent) -> None:
    keep = _ticket("My account is locked", sender="en@example.com", subject="Locked")
    other = _ticket("My withdrawal is stuck", sender="en@example.com", subject="Withdrawal")
    other.language = "en"
    other.save(update_fields=["language"])
    merge_tickets(keep=keep, other=other, by=agent)
    notice = Message.objects.get(ticket=other, headers__auto="merged")
    assert notice.direction == Direction.OUTBOUND and notice.channel == other.channel
    assert keep.number in notice.body_text and "merged" in notice.body_text


def test_search_finds_the_moved_words_under_the_kept_ticket(agent: Agent) -> None:
    keep = _ticket("我的账户被锁了")
    other = _ticket("冷钱包地址变更需要审核")
    merge_tickets(keep=keep, other=other, by=agent)
    hits = search_tickets(agent, "冷钱包", InboxFilters(status="all")).hits
    assert [h.ticket.number for h in hits] == [keep.number]


def test_tickets_of_different_customers_are_not_merged(agent: Agent) -> None:
    keep = _ticket("我的账户被锁了", sender="a@example.com")
    other = _ticket("提现没有到账", sender="b@example.com")
    with pytest.raises(TicketMergeRefused):
        merge_tickets(keep=keep, other=other, by=agent)
    other.refresh_from_db()
    assert other.status != Status.CLOSED and other.messages.count() >= 1


def test_merge_is_refused_outside_the_agents_queues() -> None:
    agent = make_agent()
    mine, secret = Queue.objects.create(slug="m1", name="M1"), Queue.objects.create(slug="s1", name="S1")
    mine.agents.add(agent)
    keep = move_to_queue(_ticket("我的账户被锁了"), mine, by=None)
    other = move_to_queue(_ticket("提现没有到账"), secret, by=None)
    with pytest.raises(TicketAccessDenied):
        merge_tickets(keep=keep, other=other, by=agent)


def test_a_ticket_is_not_merged_into_itself_or_twice(agent: Agent) -> None:
    keep, other = _ticket("我的账户被锁了"), _ticket("提现没有到账")
    with pytest.raises(TicketMergeRefused):
        merge_tickets(keep=keep, other=keep, by=agent)
    merge_tickets(keep=keep, other=other, by=agent)
    with pytest.raises(TicketMergeRefused):
        merge_tickets(keep=keep, other=other, by=agent)


def test_split_moves_one_customer_message_to_a_new_ticket(agent: Agent) -> None:
    source = _ticket("我的账户被锁了", channel="chat", kind="chat", sender="visitor-1", subject="")
    receive_one(text="另外我想问一下提现手续费", channel="chat", kind="chat", sender="visitor-1", subject="")
    source.refresh_from_db()
    second = source.messages.get(body_text__contains="手续费")
    new = split_message(ticket=source, seq=second.seq, by=agent)
    second.refresh_from_db()
    assert second.ticket_id == new.pk and second.seq == 1
    assert new.contact_id == source.contact_id and new.channel == source.channel
    assert new.subject.startswith("另外我想问一下提现手续费")
    assert source.events.filter(kind=EventKind.SPLIT, data__into=new.number).exists()
    assert not source.messages.filter(body_text__contains="手续费").exists()
    assert new.messages.filter(headers__auto="split").exists()  # the customer learns the number
    hits = search_tickets(agent, "手续费", InboxFilters(status="all")).hits
    assert [h.ticket.number for h in hits] == [new.number]
    assert AuditEntry.objects.filter(action="ticket.split").exists()


def test_only_a_customer_message_of_a_longer_ticket_can_be_split(agent: Agent) -> None:
    ticket = _ticket("我的账户被锁了")
    with pytest.raises(TicketMergeRefused):
        split_message(ticket=ticket, seq=1, by=agent)  # the only customer message
    note = reply(ticket=ticket, agent=agent, text="内部备注", internal=True)
    with pytest.raises(TicketMergeRefused):
        split_message(ticket=ticket, seq=note.seq, by=agent)
    with pytest.raises(TicketMergeRefused):
        split_message(ticket=ticket, seq=999, by=agent)
