"""Merging contacts: supervisors only, never across proven accounts, audited."""

import pytest

from tests.factories import make_account, make_agent, receive_one
from unlockdesk.safety.models import AuditEntry
from unlockdesk.staff.models import Role
from unlockdesk.tickets.exceptions import TicketAccessDenied
from unlockdesk.tickets.models import Contact, Ticket
from unlockdesk.tickets.selectors import tickets_of
from unlockdesk.tickets.services import MergeRefused, merge_contacts
from unlockdesk.tickets.types import Channel, IdentityKind

pytestmark = pytest.mark.django_db


def _contact(**kwargs: object) -> Contact:
    return Ticket.objects.get(pk=receive_one(**kwargs).ticket_id).contact  # type: ignore[arg-type]


def test_supervisor_merges_email_and_telegram_contacts() -> None:
    email = _contact(sender="li@example.com")
    telegram = _contact(channel=Channel.TELEGRAM, kind=IdentityKind.TELEGRAM, sender="tg:9", subject="")
    kept = merge_contacts(keep=email, other=telegram, by=make_agent(role=Role.SUPERVISOR))
    assert {i.kind for i in kept.identities.all()} == {"email", "telegram"}
    assert tickets_of(kept).count() == 2
    assert not Contact.objects.filter(pk=telegram.pk).exists()
    assert AuditEntry.objects.filter(action="contact.merge").exists()


def test_agent_cannot_merge() -> None:
    a, b = _contact(sender="a@example.com"), _contact(sender="b@example.com")
    with pytest.raises(TicketAccessDenied):
        merge_contacts(keep=a, other=b, by=make_agent(role=Role.AGENT))


def test_contacts_of_different_accounts_are_never_merged() -> None:
    make_account(email="a@example.com")
    make_account(email="b@example.com")
    a = _contact(sender="a@example.com", verified=True, channel=Channel.WEB)
    b = _contact(sender="b@example.com", verified=True, channel=Channel.WEB)
    with pytest.raises(MergeRefused):
        merge_contacts(keep=a, other=b, by=make_agent(role=Role.SUPERVISOR))
    assert Contact.objects.filter(pk=b.pk).exists()
