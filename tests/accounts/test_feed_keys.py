"""Feed keys an admin configures: the secret is required, long, write-only and encrypted."""

import pytest
from django.db import connection

from unlockdesk.accounts.admin import FeedKeyForm
from unlockdesk.accounts.models import FeedKey

pytestmark = pytest.mark.django_db

LONG = "x" * 16 + "a-secret-of-enough-length"


def test_new_key_needs_a_long_secret() -> None:
    assert not FeedKeyForm(data={"key_id": "core", "secret": "", "active": True}).is_valid()
    assert not FeedKeyForm(data={"key_id": "core", "secret": "short", "active": True}).is_valid()


def test_secret_is_encrypted_at_rest_and_kept_when_left_empty() -> None:
    form = FeedKeyForm(data={"key_id": "core", "secret": LONG, "active": True})
    assert form.is_valid(), form.errors
    key = form.save()
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM accounts_feedkey WHERE id = %s", [key.pk])
        assert LONG not in cursor.fetchone()[0]
    edit = FeedKeyForm(data={"key_id": "core", "secret": "", "active": False}, instance=key)
    assert edit.is_valid(), edit.errors
    edit.save()
    assert FeedKey.objects.get(pk=key.pk).secret == LONG
    assert 'value="' + LONG not in str(FeedKeyForm(instance=key)["secret"])
