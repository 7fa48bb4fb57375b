"""read_ahead: a batch's senders and tickets read once, and what is not read ahead read as
before; only inside the transaction that stores the batch."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from tests.factories import inbound, receive_one
from unlockdesk.tickets import read_ahead as ahead
from unlockdesk.tickets.models import Contact, Message, Ticket
from unlockdesk.tickets.read_ahead import read_ahead
from unlockdesk.tickets.services import receive
from unlockdesk.tickets.types import Channel, IdentityKind, SenderIdentity

pytestmark = pytest.mark.django_db


def _email(address: str) -> SenderIdentity:
    return SenderIdentity(IdentityKind.EMAIL, address)


def _reads_of(table: str, statements: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in statements if q["sql"].startswith("SELECT") and f'FROM "{table}"' in q["sql"]]


@pytest.mark.django_db(transaction=True)  # no test transaction around it
def test_outside_a_transaction_it_is_refused() -> None:
    with pytest.raises(RuntimeError, match="inside the transaction"):
        read_ahead([_email("a@example.com")], []).__enter__()


def test_items_of_the_batch_are_answered_from_it_without_reading_again() -> None:
    first = receive_one(sender="first@example.com", text="my account is locked")
    second = receive_one(sender="second@example.com", text="my withdrawal is stuck")
    numbers = [first.ticket_number, second.ticket_number]
    senders = ["first@example.com", "second@example.com"]
    with (transaction.atomic(), read_ahead([_email(s) for s in senders], numbers),
          CaptureQueriesContext(connection) as statements):
        for n, (sender, number) in enumerate(zip(senders, numbers, strict=True)):
            receive(inbound(sender=sender, ticket_number=number, text=f"any news {n}?"))
    assert _reads_of("tickets_contactidentity", statements) == []
    assert _reads_of("tickets_ticket", statements) == []
    for receipt, n in ((first, 0), (second, 1)):
        assert Message.objects.get(body_text=f"any news {n}?").ticket_id == receipt.ticket_id


def test_the_batch_locks_its_tickets_in_one_read_in_id_order() -> None:
    numbers = [receive_one(sender=f"c{n}@example.com").ticket_number for n in range(3)]
    with (transaction.atomic(), CaptureQueriesContext(connection) as statements,
          read_ahead([], reversed(numbers))):
        assert [t.number for t in (ahead.ticket(n) for n in numbers) if t] == numbers
    (read,) = _reads_of("tickets_ticket", statements)
    assert read.rstrip().endswith("FOR UPDATE") or connection.vendor == "sqlite"
    assert 'ORDER BY "tickets_ticket"."id" ASC' in read


def test_a_batch_longer_than_the_compiled_reads_is_read_ahead_all_the_same() -> None:
    """Reads are compiled once per batch size up to 32 (unlockdesk.prepared); past that, the ORM."""
    senders = [f"many{n}@example.com" for n in range(34)]
    numbers = [receive_one(sender=sender).ticket_number for sender in senders]
    for count in (1, 33, 34):
        with (transaction.atomic(), CaptureQueriesContext(connection) as statements,
              read_ahead([_email(s) for s in senders[:count]], numbers[:count])):
            assert [t.number for t in (ahead.ticket(n) for n in numbers[:count]) if t] == numbers[:count]
            assert all(ahead.identity("email", s) is not None for s in senders[:count])
        assert len(_reads_of("tickets_ticket", statements)) == 1
        assert len(_reads_of("tickets_contactidentity", statements)) == 1


def test_a_sender_not_read_ahead_is_found_or_created_as_before() -> None:
    known = receive_one(sender="known@example.com")
    with transaction.atomic(), read_ahead([_email("other@example.com")], []):
        again = receive(inbound(sender="known@example.com", ticket_number=known.ticket_number, text="hello?"))
        new = receive(inbound(sender="new@example.com", text="my account is locked"))
    assert again.ticket_id == known.ticket_id and again.status == "appended"
    assert new.status == "created"
    assert Contact.objects.filter(identities__value="new@example.com").count() == 1


def test_two_items_of_one_ticket_in_a_batch_are_numbered_in_turn() -> None:
    first = receive_one(sender="one@example.com", channel=Channel.EMAIL)
    with transaction.atomic(), read_ahead([_email("one@example.com")], [first.ticket_number]):
        a = receive(inbound(sender="one@example.com", ticket_number=first.ticket_number, text="one"))
        b = receive(inbound(sender="one@example.com", ticket_number=first.ticket_number, text="two"))
    assert b.seq == a.seq + 1
    assert Ticket.objects.get(pk=first.ticket_id).last_seq >= b.seq
    stored = Message.objects.filter(body_text__in=["one", "two"]).order_by("seq")
    assert [(m.body_text, m.seq) for m in stored] == [("one", a.seq), ("two", b.seq)]


def test_after_the_block_nothing_is_answered_from_it() -> None:
    receipt = receive_one(sender="gone@example.com")
    with transaction.atomic():
        with read_ahead([_email("gone@example.com")], [receipt.ticket_number]):
            assert ahead.identity("email", "gone@example.com") is not None
            assert ahead.ticket(receipt.ticket_number) is not None
        assert ahead.identity("email", "gone@example.com") is None
        assert ahead.ticket(receipt.ticket_number) is None
