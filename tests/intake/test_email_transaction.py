"""Mail and its redacted original land in receive()'s one transaction; what follows the
commit (the help-center search for the acknowledgement) holds no lock."""

import pytest
from django.db import connection

from tests.intake.mailfactory import mail
from unlockdesk.intake.mail.ingest import ingest
from unlockdesk.intake.mail.models import OriginalMail
from unlockdesk.tickets import hooks
from unlockdesk.tickets.models import Direction, Message, Ticket

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_acknowledgement_search_of_a_mail_runs_in_no_transaction(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """ingest() wrapped receive() in a transaction of its own for the original, so the search
    ran with the database held (SQLite) or the ticket row locked (PostgreSQL)."""
    depth: list[int] = []

    def suggest(text: str, language: str) -> list[str]:
        depth.append(len(connection.atomic_blocks))
        assert "解锁" in text  # the customer's own words, without reading them back
        return ["- 如何解锁: https://help.example/unlock"]

    monkeypatch.setattr(hooks, "_suggestions", [suggest])
    result = ingest(mail(message_id="<search-outside@example.com>"))
    assert result.status == "created" and result.acknowledged
    assert depth == [0]
    ack = Message.objects.get(ticket__number=result.ticket, direction=Direction.OUTBOUND,
                              headers__auto="acknowledgement")
    assert ack.body_text.endswith("https://help.example/unlock")
    inbound = Message.objects.get(external_id="<search-outside@example.com>")
    assert OriginalMail.objects.filter(message=inbound).count() == 1


def test_an_original_that_cannot_be_stored_leaves_nothing_behind(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(OriginalMail.objects, "create", broken)
    with pytest.raises(RuntimeError):
        ingest(mail(message_id="<no-original@example.com>"))
    assert not Message.objects.exists() and not Ticket.objects.exists()
    monkeypatch.undo()
    assert ingest(mail(message_id="<no-original@example.com>")).status == "created"
    assert OriginalMail.objects.count() == 1
