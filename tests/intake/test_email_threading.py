"""Threading email: our Message-ID, the customer's own Message-IDs and the ticket number in the
subject continue a ticket, but only for that ticket's contact; strangers get a new, flagged one."""

import pytest

from tests.intake.mailfactory import mail
from unlockdesk.intake.mail.ingest import ingest
from unlockdesk.intake.mail.ours import message_id_for
from unlockdesk.tickets.models import Direction, Message, Ticket

pytestmark = pytest.mark.django_db


def _first_ticket() -> tuple[Ticket, Message]:
    result = ingest(mail(sender="owner@example.com", message_id="<first@example.com>"))
    ticket = Ticket.objects.get(number=result.ticket)
    return ticket, ticket.messages.get(direction=Direction.OUTBOUND)


def test_reply_to_our_acknowledgement_continues_the_ticket() -> None:
    ticket, ack = _first_ticket()
    result = ingest(mail(sender="owner@example.com", subject="Re: hello", text="补充材料",
                         in_reply_to=message_id_for(ack.pk), references=message_id_for(ack.pk)))
    assert (result.status, result.ticket) == ("appended", ticket.number)
    assert not result.acknowledged


def test_reply_referencing_the_customers_own_earlier_mail_continues_the_ticket() -> None:
    ticket, _ack = _first_ticket()
    result = ingest(mail(sender="owner@example.com", subject="more", references="<first@example.com>"))
    assert (result.status, result.ticket) == ("appended", ticket.number)


def test_ticket_number_in_the_subject_continues_the_ticket() -> None:
    ticket, _ack = _first_ticket()
    result = ingest(mail(sender="owner@example.com", subject=f"Re: [{ticket.number.lower()}] 账户被锁"))
    assert (result.status, result.ticket) == ("appended", ticket.number)


def test_stranger_forging_in_reply_to_our_message_gets_a_new_flagged_ticket() -> None:
    ticket, ack = _first_ticket()
    result = ingest(mail(sender="scammer@example.net", subject="Re: 账户被锁",
                         in_reply_to=message_id_for(ack.pk), references=message_id_for(ack.pk)))
    assert result.status == "created" and result.ticket != ticket.number
    assert "quoted_foreign_ticket" in Ticket.objects.get(number=result.ticket).flags
    assert ticket.messages.count() == 2


def test_stranger_forging_references_to_the_customers_mail_gets_a_new_flagged_ticket() -> None:
    ticket, _ack = _first_ticket()
    result = ingest(mail(sender="scammer@example.net", references="<first@example.com>"))
    assert result.ticket != ticket.number
    assert "quoted_foreign_ticket" in Ticket.objects.get(number=result.ticket).flags


def test_stranger_quoting_the_ticket_number_gets_a_new_flagged_ticket() -> None:
    ticket, _ack = _first_ticket()
    result = ingest(mail(sender="scammer@example.net", subject=f"Re: [{ticket.number}] 解锁"))
    assert result.ticket != ticket.number
    assert "flag: quoted_foreign_ticket" in result.reason
    assert ticket.messages.count() == 2


def test_message_id_that_only_looks_like_ours_names_no_ticket() -> None:
    ticket, ack = _first_ticket()
    forged = f"<ud-{ack.pk}@okx-support.example>"
    result = ingest(mail(sender="owner@example.com", subject="hi", in_reply_to=forged))
    assert result.status == "created" and result.ticket != ticket.number


def test_stranger_claiming_the_owner_in_every_other_header_gets_a_new_flagged_ticket() -> None:
    ticket, ack = _first_ticket()
    ours = message_id_for(ack.pk)
    result = ingest(mail(sender='"owner@example.com" <scammer@example.net>',
                         subject=f"Re: [{ticket.number}] 账户被锁", in_reply_to=ours,
                         references=f"<first@example.com> {ours}",
                         headers={"Reply-To": "owner@example.com", "Sender": "owner@example.com",
                                  "Resent-From": "owner@example.com",
                                  "Return-Path": "<owner@example.com>"}))
    stranger = Ticket.objects.get(number=result.ticket)
    assert result.status == "created" and stranger != ticket
    assert "quoted_foreign_ticket" in stranger.flags
    assert stranger.contact.display_name == ""  # not shown to the agent as the owner
    assert ticket.messages.count() == 2


def test_from_naming_the_owner_beside_another_address_is_rejected() -> None:
    ticket, ack = _first_ticket()
    result = ingest(mail(sender="owner@example.com <scammer@example.net>",
                         in_reply_to=message_id_for(ack.pk)))
    assert result.status == "rejected" and "ambiguous From" in result.reason
    assert ticket.messages.count() == 2 and Ticket.objects.count() == 1
