"""receive() decides what channels used to decide for themselves: whether an item is a
duplicate when its id is already held by someone else, and whether automatic mail continues a
ticket. And record_bounce() is the one way a channel marks a delivery failed."""

from dataclasses import replace

import pytest

from tests.factories import inbound, receive_one
from unlockdesk.tickets.models import Contact, Delivery, Direction, Message, Ticket
from unlockdesk.tickets.services import BounceOutcome, receive, record_bounce
from unlockdesk.tickets.types import Channel, IdentityKind

pytestmark = pytest.mark.django_db


def test_an_id_another_sender_already_used_does_not_make_a_duplicate() -> None:
    stranger = receive(inbound(external_id="<id-1@mail.example>", sender="stranger@example.com",
                               text="抢先用了这个 Message-ID"))
    customer = receive(replace(inbound(external_id="<id-1@mail.example>", sender="owner@example.com"),
                               alternate_id="sha256:content-of-the-owners-mail"))
    assert customer.status == "created" and customer.ticket_id != stranger.ticket_id
    stored = Message.objects.get(pk=customer.message_id)
    assert stored.external_id == "sha256:content-of-the-owners-mail"


def test_the_same_senders_item_again_is_a_duplicate_despite_the_alternate_id() -> None:
    item = replace(inbound(external_id="<id-2@mail.example>", sender="owner@example.com"),
                   alternate_id="sha256:x")
    first = receive(item)
    again = receive(item)
    assert again.status == "duplicate" and again.message_id == first.message_id


def test_the_alternate_keyed_item_retried_is_a_duplicate() -> None:
    receive(inbound(external_id="<id-3@mail.example>", sender="stranger@example.com"))
    item = replace(inbound(external_id="<id-3@mail.example>", sender="owner@example.com"),
                   alternate_id="sha256:y")
    first = receive(item)
    again = receive(item)
    assert again.status == "duplicate" and again.message_id == first.message_id
    assert Message.objects.filter(direction=Direction.INBOUND).count() == 2


def test_automatic_mail_that_continues_nothing_stores_nothing() -> None:
    receipt = receive(replace(inbound(sender="autoreply@example.com"), continues_only=True,
                              is_auto_reply=True))
    assert receipt.status == "ignored" and receipt.ticket_number == ""
    assert not Ticket.objects.exists() and not Contact.objects.exists()


def test_automatic_mail_quoting_the_senders_ticket_is_appended_and_not_answered() -> None:
    opened = receive_one(sender="owner@example.com")
    receipt = receive(replace(inbound(sender="owner@example.com", ticket_number=opened.ticket_number),
                              continues_only=True, is_auto_reply=True))
    assert receipt.status == "appended" and receipt.ticket_id == opened.ticket_id
    assert not receipt.acknowledged


def test_automatic_mail_quoting_someone_elses_ticket_stores_nothing() -> None:
    opened = receive_one(sender="owner@example.com")
    receipt = receive(replace(inbound(sender="stranger@example.com", ticket_number=opened.ticket_number),
                              continues_only=True, is_auto_reply=True))
    assert receipt.status == "ignored" and Ticket.objects.count() == 1


def _acknowledgement_sent_to(address: str) -> Message:
    receipt = receive_one(sender=address)
    ack = Message.objects.get(ticket_id=receipt.ticket_id, direction=Direction.OUTBOUND)
    Message.objects.filter(pk=ack.pk).update(delivery=Delivery.SENT)
    return ack


def test_a_bounce_marks_the_message_failed_once() -> None:
    ack = _acknowledgement_sent_to("owner@example.com")
    def bounce() -> BounceOutcome:
        return record_bounce(channel=Channel.EMAIL, address_kind=IdentityKind.EMAIL,
                             message_pks=[ack.pk], recipients={"owner@example.com"},
                             diagnostic="550 no such user")

    first, again = bounce(), bounce()
    assert first.recorded and not again.recorded and again.ticket_number == first.ticket_number
    stored = Message.objects.get(pk=ack.pk)
    assert stored.delivery == Delivery.FAILED and "550 no such user" in stored.delivery_error


def test_a_bounce_that_does_not_name_the_recipient_marks_nothing() -> None:
    ack = _acknowledgement_sent_to("owner@example.com")
    outcome = record_bounce(channel=Channel.EMAIL, address_kind=IdentityKind.EMAIL,
                            message_pks=[ack.pk], recipients={"forger@example.com"},
                            diagnostic="550")
    assert not outcome.recorded and outcome.ticket_number == ""
    assert Message.objects.get(pk=ack.pk).delivery == Delivery.SENT


@pytest.mark.django_db(transaction=True)  # as a server runs it: receive()'s own transaction
def test_a_retry_found_at_the_insert_returns_the_first_receipt_and_leaves_no_trace() -> None:
    """Chat, social and voice items are not read for first: their retries meet the unique
    index at the insert, and everything written before it is rolled back."""
    from unlockdesk.tickets.models import SlaTarget, TicketEvent

    sender = {"channel": Channel.CHAT, "kind": IdentityKind.CHAT_VISITOR, "sender": "visitor-9"}
    opening = inbound(external_id="chat:c1:aaaaaaaa", text="提币一直没到账", **sender)
    first = receive(opening)
    follow_up = inbound(external_id="chat:c1:bbbbbbbb", text="还在吗",
                        ticket_number=first.ticket_number, **sender)
    second = receive(follow_up)
    ticket = Ticket.objects.get(pk=first.ticket_id)
    before = (Ticket.objects.count(), Message.objects.count(), TicketEvent.objects.count(),
              SlaTarget.objects.count(), Contact.objects.count())

    again = receive(follow_up)  # it would continue the ticket
    assert (again.status, again.message_id, again.seq) == ("duplicate", second.message_id, second.seq)
    opened_again = receive(replace(opening, ticket_number=""))  # it would open a second ticket
    assert (opened_again.status, opened_again.ticket_id) == ("duplicate", first.ticket_id)

    after = (Ticket.objects.count(), Message.objects.count(), TicketEvent.objects.count(),
             SlaTarget.objects.count(), Contact.objects.count())
    assert after == before
    current = Ticket.objects.get(pk=ticket.pk)
    assert (current.last_seq, current.updated_at, current.status) == (
        ticket.last_seq, ticket.updated_at, ticket.status)
    fresh = receive(inbound(external_id="chat:c1:cccccccc", text="在吗",
                            ticket_number=first.ticket_number, **sender))
    assert fresh.status == "appended" and fresh.seq == ticket.last_seq + 1
