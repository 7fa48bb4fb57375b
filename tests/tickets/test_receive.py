"""receive(): the one inbound pipeline every channel goes through."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import inbound, make_account, make_agent, receive_one
from unlockdesk.accounts.types import LockReason
from unlockdesk.staff.models import Role
from unlockdesk.tickets import attachments
from unlockdesk.tickets.models import (
    Attachment,
    Category,
    Direction,
    Message,
    Priority,
    Status,
    Ticket,
    TicketEvent,
)
from unlockdesk.tickets.search import search_tickets
from unlockdesk.tickets.selectors import InboxFilters
from unlockdesk.tickets.services import receive
from unlockdesk.tickets.types import Channel, IdentityKind, InboundAttachment

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99"
    b"=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)


def test_first_message_opens_ticket_with_number_and_acknowledgement() -> None:
    receipt = receive_one(text="我的账户被锁了，无法登录")
    ticket = Ticket.objects.get(pk=receipt.ticket_id)
    assert receipt.status == "created"
    assert ticket.number.startswith("UD-") and len(ticket.number) == 9
    assert ticket.category == Category.ACCOUNT_LOCKED
    assert ticket.priority == Priority.HIGH
    assert ticket.queue.slug == "unlock"
    assert ticket.first_response_due is not None
    ack = ticket.messages.get(direction=Direction.OUTBOUND)
    assert ticket.number in ack.body_text
    assert "仅用于欧易账户解锁" in ack.body_text  # the materials checklist for lock cases
    assert receipt.acknowledged


def test_same_external_id_twice_is_stored_once() -> None:
    item = inbound(external_id="<abc@mail.example>")
    first = receive(item)
    second = receive(item)
    assert second.status == "duplicate"
    assert second.ticket_id == first.ticket_id and second.message_id == first.message_id
    assert Message.objects.filter(direction=Direction.INBOUND).count() == 1
    assert Ticket.objects.count() == 1


def test_customer_quoting_own_ticket_number_continues_it() -> None:
    first = receive_one(sender="a@example.com")
    again = receive_one(sender="a@example.com", ticket_number=first.ticket_number,
                        text="补充一下情况")
    assert again.status == "appended"
    assert again.ticket_id == first.ticket_id
    assert [m.seq for m in Ticket.objects.get(pk=first.ticket_id).messages.all()] == [1, 2, 3]


def test_stranger_quoting_a_ticket_number_gets_a_new_flagged_ticket() -> None:
    victim = receive_one(sender="victim@example.com")
    stranger = receive_one(sender="scammer@example.net", ticket_number=victim.ticket_number)
    assert stranger.status == "created"
    assert stranger.ticket_id != victim.ticket_id
    assert "quoted_foreign_ticket" in Ticket.objects.get(pk=stranger.ticket_id).flags
    assert Ticket.objects.get(pk=victim.ticket_id).messages.count() == 2


def test_reply_referencing_a_message_id_threads_only_for_the_same_contact() -> None:
    first = receive(inbound(sender="a@example.com", external_id="<m1@example.com>"))
    reply_same = receive(inbound(sender="a@example.com", references=("<m1@example.com>",)))
    reply_other = receive(inbound(sender="b@example.com", references=("<m1@example.com>",)))
    assert reply_same.ticket_id == first.ticket_id
    assert reply_other.ticket_id != first.ticket_id


def test_conversational_channel_continues_the_open_case() -> None:
    kwargs = {"channel": Channel.TELEGRAM, "kind": IdentityKind.TELEGRAM, "sender": "tg:42",
              "subject": ""}
    first = receive_one(text="hello, my withdrawal is stuck", **kwargs)
    second = receive_one(text="are you there?", **kwargs)
    assert second.ticket_id == first.ticket_id


def test_resolved_ticket_reopens_when_customer_writes_again() -> None:
    first = receive_one(sender="a@example.com")
    Ticket.objects.filter(pk=first.ticket_id).update(status=Status.RESOLVED)
    receive_one(sender="a@example.com", ticket_number=first.ticket_number, text="still locked")
    assert Ticket.objects.get(pk=first.ticket_id).status == Status.WAITING_US


def test_stolen_account_is_urgent_and_goes_to_security() -> None:
    receipt = receive_one(text="My account was hacked, someone is withdrawing!", subject="")
    ticket = Ticket.objects.get(pk=receipt.ticket_id)
    assert (ticket.category, ticket.priority, ticket.queue.slug) == (
        Category.STOLEN_ACCOUNT, Priority.URGENT, "security")


def test_secret_in_inbound_text_never_reaches_the_database() -> None:
    receipt = receive_one(text="我的密码是 Hunter2024!x 验证码 731942 快帮我")
    assert receipt.redactions == ("otp_code", "password")
    with connection.cursor() as cursor:
        cursor.execute("SELECT body_text FROM tickets_message")
        stored = " ".join(row[0] for row in cursor.fetchall())
    assert "Hunter2024!x" not in stored and "731942" not in stored
    assert "[REDACTED:password]" in stored


def test_unverified_email_does_not_link_the_account() -> None:
    make_account(email="owner@example.com")
    receipt = receive_one(sender="owner@example.com", verified=False)
    assert Ticket.objects.get(pk=receipt.ticket_id).account is None


def test_verified_identity_links_the_account() -> None:
    account = make_account(email="owner@example.com", lock=LockReason.RISK_CONTROL)
    receipt = receive_one(sender="owner@example.com", verified=True, channel=Channel.WEB)
    assert Ticket.objects.get(pk=receipt.ticket_id).account == account


def test_a_linked_contact_writing_again_does_not_look_its_account_up_again() -> None:
    make_account(email="owner2@example.com", lock=LockReason.RISK_CONTROL)
    first = receive_one(sender="owner2@example.com", verified=True, channel=Channel.WEB)
    with CaptureQueriesContext(connection) as queries:
        again = receive_one(sender="owner2@example.com", verified=True, channel=Channel.WEB,
                            ticket_number=first.ticket_number)
    assert again.ticket_id == first.ticket_id
    lookups = [q["sql"] for q in queries.captured_queries
               if '"accounts_exchangeaccount"."email" =' in q["sql"]]
    assert lookups == []  # the link is made once, when the contact is first proven


def test_attachment_is_sniffed_hashed_and_encrypted_at_rest() -> None:
    receipt = receive_one(attachments=(InboundAttachment("id.png", PNG, "application/pdf"),))
    item = Attachment.objects.get(message_id=receipt.message_id)
    assert item.content_type == "image/png"
    with item.file.open("rb") as handle:
        stored = handle.read()
    assert item.size == len(stored)
    with item.file.storage.stored_bytes(item.file.name) as raw:
        assert stored not in raw.read()
    # What is stored is a clean copy re-encoded from the pixels: the same picture.
    assert _pixels(stored) == _pixels(PNG)


def _pixels(data: bytes) -> bytes:
    import io

    from PIL import Image

    return Image.open(io.BytesIO(data)).convert("RGBA").tobytes()


def test_disguised_executable_is_rejected_and_not_stored() -> None:
    receipt = receive_one(attachments=(InboundAttachment("photo.jpg", b"MZ\x90\x00" + bytes(200)),))
    assert receipt.rejected_attachments == ("photo.jpg: type",)
    assert Attachment.objects.count() == 0


def test_failure_half_way_leaves_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(attachments, "store", boom)
    with pytest.raises(RuntimeError):
        receive_one(attachments=(InboundAttachment("id.png", PNG),))
    assert (Ticket.objects.count(), Message.objects.count(), TicketEvent.objects.count()) == (
        0, 0, 0)


def test_a_new_ticket_writes_its_timeline_and_search_document_once_each() -> None:
    """The item, the ticket's opening and the acknowledgement: three timeline entries in one
    INSERT, one search-index write for both messages (both still findable) and one write of
    the ticket row."""
    with CaptureQueriesContext(connection) as queries:
        receipt = receive_one(sender="first@example.com", subject="账户被冻结",
                              text="我的账户无法提币")
    assert receipt.acknowledged
    sql = [q["sql"] for q in queries]
    assert len([s for s in sql if s.startswith('INSERT INTO "tickets_ticketevent"')]) == 1
    assert TicketEvent.objects.filter(ticket_id=receipt.ticket_id).count() == 3
    search_writes = [s for s in sql if ("tickets_search" in s and s.startswith(("INSERT", "UPDATE")))
                     or (s.startswith("UPDATE") and "search_document =" in s)]
    assert len(search_writes) == 1
    # The row itself once: message count, SLA due times (on PostgreSQL, its search document).
    assert len([s for s in sql if s.startswith(('UPDATE "tickets_ticket"', "UPDATE tickets_ticket"))]) == 1
    agent = make_agent(role=Role.SUPERVISOR)
    inbox = InboxFilters(status="all")
    for words in ("提币", "first@example.com", receipt.ticket_number):  # body, head, number
        assert [hit.ticket.pk for hit in search_tickets(agent, words, inbox).hits] == [receipt.ticket_id]
