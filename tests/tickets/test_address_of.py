"""Which of a contact's addresses the desk writes to: the newest verified, else the first
given, the same on SQLite and PostgreSQL (whose descending order puts NULL first)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from unlockdesk.tickets.contacts import address_of
from unlockdesk.tickets.models import Contact, ContactIdentity
from unlockdesk.tickets.types import IdentityKind

pytestmark = pytest.mark.django_db


def test_newest_verified_address_first_else_the_first_given() -> None:
    contact = Contact.objects.create(display_name="Li")
    assert address_of(contact, IdentityKind.EMAIL) == ""
    ContactIdentity.objects.create(contact=contact, kind=IdentityKind.EMAIL, value="first@example.com")
    ContactIdentity.objects.create(contact=contact, kind=IdentityKind.EMAIL, value="second@example.com")
    ContactIdentity.objects.create(contact=contact, kind=IdentityKind.PHONE, value="+8613900000001")
    assert address_of(contact, IdentityKind.EMAIL) == "first@example.com"

    now = timezone.now()
    ContactIdentity.objects.create(contact=contact, kind=IdentityKind.EMAIL,
                                   value="old-proof@example.com", verified_at=now - timedelta(days=9))
    ContactIdentity.objects.create(contact=contact, kind=IdentityKind.EMAIL,
                                   value="proven@example.com", verified_at=now)
    ContactIdentity.objects.create(contact=contact, kind=IdentityKind.EMAIL, value="later@example.com")
    assert address_of(contact, IdentityKind.EMAIL) == "proven@example.com"
    assert address_of(contact, IdentityKind.PHONE) == "+8613900000001"
