"""tickets/hooks.py: the apps above the pipeline plug in their channel adapters and the help
center's suggestions; the pipeline delivers through whatever adapter is registered."""

from dataclasses import dataclass, field

import pytest

from tests.factories import receive_one
from unlockdesk.chat import channel as chat_channel
from unlockdesk.helpcenter.selectors import acknowledgement_suggestions
from unlockdesk.intake import phone
from unlockdesk.tickets import hooks
from unlockdesk.tickets.models import ContactIdentity, Delivery, Direction, Message, Ticket
from unlockdesk.tickets.services import deliver
from unlockdesk.tickets.types import Channel, DeliveryResult, IdentityKind, OutboundMessage

pytestmark = pytest.mark.django_db


@dataclass
class RecordingAdapter:
    """An adapter that keeps what it was handed."""

    ADDRESS_KIND: IdentityKind | None
    handed: list[OutboundMessage] = field(default_factory=list)

    def deliver(self, message: OutboundMessage) -> DeliveryResult:
        self.handed.append(message)
        return DeliveryResult(True, provider_id=f"test:{message.message_id}")


def _acknowledgement(ticket_id: int) -> Message:
    return Message.objects.get(ticket_id=ticket_id, direction=Direction.OUTBOUND)


def test_every_channel_has_an_adapter_registered_by_its_app() -> None:
    assert {channel for channel in Channel if hooks.adapter_for(channel) is None} == set()
    assert hooks.adapter_for(Channel.PHONE) is phone
    assert hooks.adapter_for(Channel.CHAT) is chat_channel  # the chat app registers its own


def test_the_address_is_the_kind_the_adapter_names(monkeypatch: pytest.MonkeyPatch) -> None:
    receipt = receive_one(channel=Channel.TELEGRAM, kind=IdentityKind.TELEGRAM, sender="424242")
    ticket = Ticket.objects.get(pk=receipt.ticket_id)
    ContactIdentity.objects.create(contact=ticket.contact, kind=IdentityKind.EMAIL,
                                   value="same.person@example.com")
    adapter = RecordingAdapter(ADDRESS_KIND=IdentityKind.EMAIL)
    monkeypatch.setitem(hooks._adapters, Channel.TELEGRAM, adapter)
    assert deliver(_acknowledgement(ticket.pk).pk).delivered
    assert [m.to for m in adapter.handed] == ["same.person@example.com"]


def test_an_adapter_without_an_address_kind_gets_the_contact(monkeypatch: pytest.MonkeyPatch) -> None:
    receipt = receive_one(channel=Channel.TELEGRAM, kind=IdentityKind.TELEGRAM, sender="434343")
    adapter = RecordingAdapter(ADDRESS_KIND=None)
    monkeypatch.setitem(hooks._adapters, Channel.TELEGRAM, adapter)
    deliver(_acknowledgement(receipt.ticket_id).pk)
    contact_id = Ticket.objects.get(pk=receipt.ticket_id).contact_id
    assert [m.to for m in adapter.handed] == [str(contact_id)]


def test_a_channel_without_an_adapter_fails_for_good(monkeypatch: pytest.MonkeyPatch) -> None:
    receipt = receive_one(channel=Channel.TELEGRAM, kind=IdentityKind.TELEGRAM, sender="454545")
    monkeypatch.delitem(hooks._adapters, Channel.TELEGRAM)
    ack = _acknowledgement(receipt.ticket_id)
    result = deliver(ack.pk)
    assert not result.delivered and not result.retryable
    assert Message.objects.get(pk=ack.pk).delivery == Delivery.FAILED


def test_the_help_center_offers_its_suggestions_to_the_acknowledgement() -> None:
    assert hooks._suggestions == [acknowledgement_suggestions]


def test_the_acknowledgement_shows_what_the_registered_suggestions_offer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[tuple[str, str]] = []

    def suggest(text: str, language: str) -> list[str]:
        asked.append((text, language))
        return ["", "- How to unlock: https://help.example/unlock"]

    monkeypatch.setattr(hooks, "_suggestions", [suggest])
    receipt = receive_one(text="我的账户被锁了")
    assert "https://help.example/unlock" in _acknowledgement(receipt.ticket_id).body_text
    assert asked and "我的账户被锁了" in asked[0][0] and asked[0][1] == "zh-hans"


def test_no_suggestions_registered_still_acknowledges(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hooks, "_suggestions", [])
    receipt = receive_one(text="我的账户被锁了")
    assert receipt.acknowledged and receipt.ticket_number in _acknowledgement(receipt.ticket_id).body_text


@pytest.mark.django_db(transaction=True)
def test_the_help_center_search_for_a_chat_runs_after_the_ticket_is_committed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The search held the ticket's row lock (on SQLite the database) while it ran. A chat
    message may continue an open case, so its search waits until the ticket is committed,
    and the acknowledgement is completed before anyone is sent it."""
    from django.db import connection

    depth: list[int] = []

    def suggest(text: str, language: str) -> list[str]:
        depth.append(len(connection.atomic_blocks))  # 0: in no transaction (a read takes no lock)
        assert Ticket.objects.filter(subject__contains="locked").exists()
        return ["- How to unlock: https://help.example/unlock"]

    monkeypatch.setattr(hooks, "_suggestions", [suggest])
    receipt = receive_one(subject="Account locked", text="My account is locked", channel=Channel.CHAT,
                          kind=IdentityKind.CHAT_VISITOR, sender="visitor-1")
    assert depth == [0]
    assert receipt.acknowledged
    ack = _acknowledgement(receipt.ticket_id)
    assert ack.body_text.endswith("https://help.example/unlock") and receipt.ticket_number in ack.body_text


@pytest.mark.django_db(transaction=True)
def test_the_help_center_search_for_new_mail_runs_before_the_transaction(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Mail that names no ticket and quotes none of ours can only open one: its articles are
    searched before the transaction, and the acknowledgement is stored whole, written once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    depth: list[int] = []

    def suggest(text: str, language: str) -> list[str]:
        depth.append(len(connection.atomic_blocks))
        assert not Ticket.objects.exists()  # not opened yet: no lock held, nothing to wait for
        assert text == "Account locked My account is locked"
        return ["- How to unlock: https://help.example/unlock"]

    monkeypatch.setattr(hooks, "_suggestions", [suggest])
    with CaptureQueriesContext(connection) as queries:
        receipt = receive_one(subject="Account locked", text="My account is locked")
    assert depth == [0]
    ack = _acknowledgement(receipt.ticket_id)
    assert ack.body_text.endswith("https://help.example/unlock") and receipt.ticket_number in ack.body_text
    assert not [q for q in queries if q["sql"].startswith('UPDATE "tickets_message" SET "body_text"')]


@pytest.mark.django_db(transaction=True)
def test_a_reply_to_a_ticket_gets_no_early_search(monkeypatch: pytest.MonkeyPatch) -> None:
    """Mail quoting its ticket's number continues it: no acknowledgement, so no search."""
    first = receive_one(subject="Account locked", text="My account is locked")
    calls: list[str] = []
    monkeypatch.setattr(hooks, "_suggestions", [lambda text, language: calls.append(text) or []])
    receipt = receive_one(subject=f"Re: [{first.ticket_number}]", text="more detail",
                          ticket_number=first.ticket_number)
    assert receipt.status == "appended" and calls == []


def test_a_failing_help_center_search_spoils_no_transaction(monkeypatch: pytest.MonkeyPatch) -> None:
    """Inside a caller's transaction the search runs in a savepoint; outside one, in none."""
    from django.db import connection, transaction

    from unlockdesk.tickets.acknowledgement import help_suggestions

    def broken(text: str, language: str) -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM no_such_table")
        return []

    receipt = receive_one(subject="Account locked", text="My account is locked")
    ticket = Ticket.objects.get(pk=receipt.ticket_id)
    monkeypatch.setattr(hooks, "_suggestions", [broken])
    with transaction.atomic():
        assert help_suggestions(ticket, "locked") == []
        assert Ticket.objects.filter(pk=ticket.pk).exists()  # the transaction still works
    assert help_suggestions(ticket) == []
