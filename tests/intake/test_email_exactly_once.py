"""Exactly once: a redelivered message is a duplicate (Message-ID, else content hash), and a
failure half-way leaves nothing behind, so the retry stores everything."""

import pytest

from tests.intake.mailfactory import mail
from unlockdesk.intake.mail.ingest import ingest
from unlockdesk.tickets import attachments
from unlockdesk.tickets.models import Attachment, Contact, Message, Ticket, TicketEvent

pytestmark = pytest.mark.django_db

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
       b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99"
       b"=\x1d\x00\x00\x00\x00IEND\xaeB`\x82")


def _counts() -> tuple[int, ...]:
    return (Ticket.objects.count(), Message.objects.count(), Attachment.objects.count(),
            TicketEvent.objects.count(), Contact.objects.count())


def test_redelivered_message_id_is_a_duplicate() -> None:
    raw = mail(message_id="<same@example.com>")
    first = ingest(raw)
    before = _counts()
    again = ingest(raw)
    assert (first.status, again.status) == ("created", "duplicate")
    assert again.ticket == first.ticket and not again.acknowledged
    assert _counts() == before


def test_message_without_id_redelivered_through_another_relay_is_a_duplicate() -> None:
    raw = mail(message_id=None)
    first = ingest(raw)
    relayed = b"Received: from mx2.example.net by mx.okx.com; Tue, 24 Nov 2026 10:00:01 +0800\r\n" + raw
    assert (first.status, ingest(relayed).status) == ("created", "duplicate")
    assert Message.objects.filter(external_id__startswith="sha256:").count() == 1


def test_different_messages_without_id_are_both_stored() -> None:
    assert ingest(mail(message_id=None, text="one")).status == "created"
    assert ingest(mail(message_id=None, text="two")).status == "created"


def test_failure_half_way_leaves_nothing_and_the_retry_stores_everything(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    raw = mail(attachments=(("id.png", PNG, "image/png"), ("id2.png", PNG + b"\x00", "image/png")))
    real_store = attachments.store
    calls = []

    def dies_on_second(*args: object, **kwargs: object) -> object:
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("worker killed")
        return real_store(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(attachments, "store", dies_on_second)
    with pytest.raises(RuntimeError):
        ingest(raw)
    assert _counts() == (0, 0, 0, 0, 0)
    monkeypatch.setattr(attachments, "store", real_store)
    retry = ingest(raw)
    assert retry.status == "created"
    assert Attachment.objects.count() == 2


def test_a_stranger_sending_first_with_a_customers_message_id_cannot_silence_the_customer() -> None:
    squatter = ingest(mail(sender="scammer@example.net", message_id="<will-be-used@example.com>"))
    raw = mail(sender="owner@example.com", message_id="<will-be-used@example.com>")
    customer = ingest(raw)
    assert (squatter.status, customer.status) == ("created", "created")
    assert customer.ticket != squatter.ticket
    assert ingest(raw).status == "duplicate"
