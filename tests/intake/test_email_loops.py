"""No loops: automatic mail is never answered, bounces are delivery failures of what they
bounce, our own mail coming back is dropped, acknowledgements are rate-limited per address."""

import pytest

from tests.intake.mailfactory import mail
from unlockdesk.intake.mail.ingest import ingest
from unlockdesk.intake.mail.ours import message_id_for
from unlockdesk.tickets.models import Delivery, Direction, EventKind, Message, Ticket

pytestmark = pytest.mark.django_db

DSN = """From: MAILER-DAEMON@mx.example.com
To: support@okx.com
Subject: Undelivered Mail Returned to Sender
Message-ID: <dsn-{n}@mx.example.com>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain

Your message could not be delivered.
--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.com

Final-Recipient: rfc822; owner@example.com
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 mailbox unavailable

--B
Content-Type: message/rfc822

From: support@okx.com
To: owner@example.com
Message-ID: {original}
Subject: [UD-XXXXXX] hello

hello
--B--
"""


def _ticket_with_ack() -> tuple[Ticket, Message]:
    result = ingest(mail(sender="owner@example.com"))
    ticket = Ticket.objects.get(number=result.ticket)
    return ticket, ticket.messages.get(direction=Direction.OUTBOUND)


def test_out_of_office_reply_is_stored_on_the_ticket_but_never_answered() -> None:
    ticket, ack = _ticket_with_ack()
    result = ingest(mail(sender="owner@example.com", subject="Automatic reply: 账户被锁",
                         in_reply_to=message_id_for(ack.pk),
                         headers={"Auto-Submitted": "auto-replied"}))
    assert (result.status, result.ticket, result.acknowledged) == ("ignored", ticket.number, False)
    assert ticket.messages.filter(direction=Direction.INBOUND).count() == 2
    assert ticket.messages.filter(direction=Direction.OUTBOUND).count() == 1


@pytest.mark.parametrize("header", [("Precedence", "bulk"), ("Precedence", "auto_reply"),
                                    ("X-Autoreply", "yes"), ("X-Autorespond", "1"),
                                    ("Auto-Submitted", "auto-generated"), ("Return-Path", "<>")])
def test_automatic_mail_to_nobody_opens_no_ticket(header: tuple[str, str]) -> None:
    result = ingest(mail(sender="robot@example.com", headers=dict([header])))
    assert result.status == "ignored" and result.ticket is None
    assert Ticket.objects.count() == 0


def test_auto_submitted_no_is_a_person() -> None:
    result = ingest(mail(headers={"Auto-Submitted": "no"}))
    assert result.status == "created" and result.acknowledged


def test_bounce_marks_our_message_failed_once_and_is_not_answered() -> None:
    ticket, ack = _ticket_with_ack()
    Message.objects.filter(pk=ack.pk).update(delivery=Delivery.SENT)
    raw = DSN.format(n=1, original=message_id_for(ack.pk)).encode()
    result = ingest(raw)
    assert (result.status, result.ticket) == ("ignored", ticket.number)
    ack.refresh_from_db()
    assert ack.delivery == Delivery.FAILED and "5.1.1" in ack.delivery_error
    assert ticket.events.filter(kind=EventKind.DELIVERY, data__bounced=True).count() == 1
    assert ingest(DSN.format(n=2, original=message_id_for(ack.pk)).encode()).status == "duplicate"
    assert ticket.events.filter(kind=EventKind.DELIVERY, data__bounced=True).count() == 1
    assert ticket.messages.count() == 2  # the bounce itself is not a conversation message


def test_forged_bounce_that_does_not_name_the_recipient_marks_nothing() -> None:
    # Our Message-IDs are sequential; a stranger can name them, not who each went to.
    _ticket, ack = _ticket_with_ack()
    Message.objects.filter(pk=ack.pk).update(delivery=Delivery.SENT)
    forged = DSN.format(n=3, original=message_id_for(ack.pk)).replace("owner@example.com",
                                                                     "someone@example.net")
    result = ingest(forged.encode())
    assert result.status == "ignored" and result.ticket is None
    ack.refresh_from_db()
    assert ack.delivery == Delivery.SENT


def test_our_own_message_coming_back_is_dropped() -> None:
    _ticket, ack = _ticket_with_ack()
    result = ingest(mail(sender="support@okx.com", message_id=message_id_for(ack.pk)))
    assert result.status == "ignored" and "our own" in result.reason
    assert Ticket.objects.count() == 1


def test_acknowledgements_are_rate_limited_per_address(settings) -> None:  # type: ignore[no-untyped-def]
    settings.UNLOCKDESK_ACKS_PER_HOUR = 2
    results = [ingest(mail(sender="flood@example.com", text=f"message {n}")) for n in range(4)]
    assert [r.status for r in results] == ["created"] * 4
    assert [r.acknowledged for r in results] == [True, True, False, False]
    assert ingest(mail(sender="other@example.com")).acknowledged


def test_no_acknowledgements_at_all_when_the_limit_is_zero(settings) -> None:  # type: ignore[no-untyped-def]
    """A first-time sender skips the count (nothing was sent to them), not the limit."""
    settings.UNLOCKDESK_ACKS_PER_HOUR = 0
    assert not ingest(mail(sender="first-time@example.com")).acknowledged
