"""Signing in to the portal with a one-time code."""

import pytest
from django.test import Client

from tests.factories import make_account
from tests.helpers import last_code_sent_to
from unlockdesk.accounts.models import CustomerCode

pytestmark = pytest.mark.django_db


def test_malformed_address_gets_a_clear_error_and_sends_nothing(client: Client) -> None:
    response = client.post("/portal/signin/", {"address": "not-an-address"})
    assert response.status_code == 200
    assert "valid email address or phone number" in response.content.decode() or \
        "有效" in response.content.decode()
    assert CustomerCode.objects.count() == 0


def test_unregistered_address_looks_the_same_as_a_registered_one(client: Client) -> None:
    make_account(email="known@example.com")
    known = client.post("/portal/signin/", {"address": "known@example.com"})
    unknown = Client().post("/portal/signin/", {"address": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


def test_code_signs_in_once_and_shows_the_lock(client: Client) -> None:
    from unlockdesk.accounts.types import LockReason

    make_account(email="locked@example.com", lock=LockReason.WRONG_CODES)
    client.post("/portal/signin/", {"address": "Locked@Example.com "})
    code = last_code_sent_to("locked@example.com")
    response = client.post("/portal/signin/code/", {"code": code}, follow=True)
    body = response.content.decode()
    assert 'data-reason="wrong_codes"' in body
    second = Client()
    second.post("/portal/signin/", {"address": "locked@example.com"})
    session = second.session
    assert second.post("/portal/signin/code/", {"code": code}).status_code == 200  # used code refused
    assert "customer" not in session


def test_wrong_codes_are_counted_and_exhaust_the_code(client: Client) -> None:
    make_account(email="a@example.com")
    client.post("/portal/signin/", {"address": "a@example.com"})
    code = last_code_sent_to("a@example.com")
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        client.post("/portal/signin/code/", {"code": wrong})
    response = client.post("/portal/signin/code/", {"code": code})
    assert response.status_code == 200  # the right code no longer works
    assert "customer" not in client.session


def test_codes_are_rate_limited_per_address(client: Client) -> None:
    for _ in range(5):
        assert client.post("/portal/signin/", {"address": "b@example.com"}).status_code == 302
    response = client.post("/portal/signin/", {"address": "b@example.com"})
    assert response.status_code == 200
    assert CustomerCode.objects.count() == 5


def test_only_a_hash_of_the_code_is_stored(client: Client) -> None:
    client.post("/portal/signin/", {"address": "c@example.com"})
    code = last_code_sent_to("c@example.com")
    stored = CustomerCode.objects.get()
    assert code not in stored.code_hash and "c@example.com" not in stored.destination_hash
