"""Links in HTML mail: the text shows where a link really goes, so a lookalike hidden behind
official-looking link text is flagged and the customer warned like any other."""

from email.message import EmailMessage

import pytest

from unlockdesk.intake.mail.ingest import ingest
from unlockdesk.tickets.models import Direction, Ticket

pytestmark = pytest.mark.django_db


def _html_only(html: str, message_id: str) -> bytes:
    message = EmailMessage()
    message["From"] = "forwarder@example.com"
    message["To"] = "support@okx.com"
    message["Subject"] = "Is this really you?"
    message["Message-ID"] = message_id
    message.set_content(html, subtype="html")
    return message.as_bytes()


def test_lookalike_behind_official_looking_link_text_is_flagged_and_shown() -> None:
    result = ingest(_html_only('<p>Please verify at <a href="https://0kx.com/verify">okx.com/verify'
                               '</a> within 24 hours.</p>', "<hidden-link@example.com>"))
    ticket = Ticket.objects.get(number=result.ticket)
    inbound = ticket.messages.get(direction=Direction.INBOUND)
    assert "okx.com/verify <https://0kx.com/verify>" in inbound.body_text
    assert "lookalike_link" in ticket.flags
    assert ticket.messages.filter(direction=Direction.OUTBOUND, body_text__contains="0kx.com").exists()


def test_link_whose_text_shows_its_target_is_left_as_written() -> None:
    result = ingest(_html_only('<p>I read <a href="https://www.okx.com/help">https://www.okx.com/help'
                               '</a> already.</p>', "<plain-link@example.com>"))
    ticket = Ticket.objects.get(number=result.ticket)
    assert ticket.messages.get(direction=Direction.INBOUND).body_text == (
        "I read https://www.okx.com/help already.")
    assert "lookalike_link" not in ticket.flags


def test_lookalike_link_only_in_the_html_part_of_a_two_part_mail_is_flagged() -> None:
    message = EmailMessage()
    message["From"] = "forwarder@example.com"
    message["To"] = "support@okx.com"
    message["Subject"] = "Is this really you?"
    message["Message-ID"] = "<two-parts@example.com>"
    message.set_content("Please verify your account at our official site within 24 hours.")
    message.add_alternative('<p>Please verify at <a href="https://okx-verify.com/login">our official'
                            ' site</a> within 24 hours.</p>', subtype="html")
    ticket = Ticket.objects.get(number=ingest(message.as_bytes()).ticket)
    assert "lookalike_link" in ticket.flags
