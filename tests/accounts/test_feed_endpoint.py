"""POST /api/v1/exchange/events over real HTTP on a live server, signed like the exchange core.

Specification: a signed batch is applied per item with a result per item; a bad signature,
an unknown or inactive key or a stale timestamp is refused and stores nothing; a replayed
delivery is stored once; an older version never overwrites a newer one; a bad event is refused
with its reason and nothing of it is stored, while the rest of the batch lands.
"""

import json
import logging
import time
from typing import Any

import httpx
import pytest
from django.db import connection

from tests.accounts.feed_events import (
    SECRET,
    account_event,
    feed_key,
    lock_event,
    push,
    signed_headers,
    transaction_event,
)
from unlockdesk.accounts import selectors
from unlockdesk.accounts.models import AccountLock, ExchangeAccount, FeedEvent, Transaction
from unlockdesk.accounts.services import id_number_hash
from unlockdesk.accounts.types import Restriction

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def base(live_server: Any) -> str:
    feed_key()
    return str(live_server.url)


def nothing_stored() -> bool:
    return not (FeedEvent.objects.exists() or ExchangeAccount.objects.exists()
                or AccountLock.objects.exists() or Transaction.objects.exists())


def test_good_batch_is_stored_with_a_result_per_item(base: str) -> None:
    events = [account_event("31000001"), lock_event("31000001"), transaction_event("31000001")]
    response = push(base, {"events": events})
    assert response.status_code == 200
    body = response.json()
    assert (body["stored"], body["unchanged"], body["refused"]) == (3, 0, 0)
    assert [r["result"] for r in body["results"]] == ["stored"] * 3
    assert [r["id"] for r in body["results"]] == [e["id"] for e in events]
    account = ExchangeAccount.objects.get(uid="31000001")
    assert (account.email, account.phone, account.kyc_name_masked) == (
        "u31000001@example.com", "+8613900139000", "张*")
    assert account.id_number_hash == id_number_hash("11010519491231002X")
    assert selectors.blocked(account) == {Restriction.LOGIN, Restriction.WITHDRAW}
    tx = Transaction.objects.get(account=account, tx_id="T-1")
    assert (tx.asset, str(tx.amount), tx.kind) == ("USDT", "1250.50000000", "withdrawal")


def test_kyc_values_are_encrypted_at_rest(base: str) -> None:
    push(base, [account_event("31000001", kyc_name="李娜", id_number="440524188001010014")])
    with connection.cursor() as cursor:
        cursor.execute("SELECT kyc_name, id_number FROM accounts_exchangeaccount")
        raw_name, raw_id = cursor.fetchone()
    assert "李娜" not in raw_name and "440524188001010014" not in raw_id
    account = ExchangeAccount.objects.get(uid="31000001")
    assert (account.kyc_name, account.id_number_masked) == ("李娜", "440***********0014")


def test_a_single_event_object_is_accepted_too(base: str) -> None:
    response = push(base, account_event("31000009"))
    assert response.json()["stored"] == 1


def test_bad_signature_is_refused_and_nothing_stored(base: str) -> None:
    response = push(base, [account_event(), lock_event()], secret="not-the-shared-secret")
    assert response.status_code == 401
    assert response.json() == {"error": "bad_signature"}
    assert nothing_stored()


def test_body_changed_after_signing_is_refused(base: str) -> None:
    body = json.dumps([lock_event()]).encode()
    headers = signed_headers(body)
    tampered = body.replace(b"risk_control", b"self_freeze")
    response = httpx.post(f"{base}/api/v1/exchange/events", content=tampered, headers=headers)
    assert response.status_code == 401
    assert nothing_stored()


def test_unknown_or_inactive_key_is_refused(base: str) -> None:
    feed_key("retired", SECRET, active=False)
    assert push(base, [account_event()], key_id="nobody").json() == {"error": "unknown_key"}
    assert push(base, [account_event()], key_id="retired").json() == {"error": "unknown_key"}
    assert nothing_stored()


def test_rotated_key_signs_alongside_the_old_one(base: str) -> None:
    feed_key("core-2027", "a-new-secret-for-the-next-year-0123456789")
    old = push(base, [account_event("31000001")])
    new = push(base, [account_event("31000002")], key_id="core-2027",
               secret="a-new-secret-for-the-next-year-0123456789")
    assert (old.json()["stored"], new.json()["stored"]) == (1, 1)


def test_timestamp_outside_the_replay_window_is_refused(base: str) -> None:
    response = push(base, [account_event()], timestamp=int(time.time()) - 301)
    assert response.status_code == 401
    assert response.json() == {"error": "stale_timestamp"}
    assert nothing_stored()


def test_replayed_delivery_is_stored_once(base: str) -> None:
    events = [account_event("31000001"), lock_event("31000001")]
    first = push(base, events)
    again = push(base, events)
    assert first.json()["stored"] == 2
    assert again.json()["unchanged"] == 2
    assert {r["reason"] for r in again.json()["results"]} == {"duplicate"}
    assert FeedEvent.objects.count() == 2
    assert AccountLock.objects.count() == 1


def test_older_version_never_overwrites_a_newer_one(base: str) -> None:
    lifted = lock_event(version=2, lifted_at="2026-12-02T10:00:00+08:00")
    placed = lock_event(version=1)
    newer_account = account_event(version=3, email="new@example.com")
    older_account = account_event(version=2, email="old@example.com")
    body = push(base, [lifted, newer_account, placed, older_account]).json()
    assert [r["result"] for r in body["results"]] == ["stored", "stored", "unchanged", "unchanged"]
    assert body["results"][2]["reason"] == "stale_version"
    lock = AccountLock.objects.get(lock_id="L-1")
    assert not lock.is_active and lock.feed_version == 2
    assert ExchangeAccount.objects.get(uid="31000001").email == "new@example.com"


def test_lock_before_its_account_event_still_lands(base: str) -> None:
    push(base, [lock_event("31000005")])
    push(base, [account_event("31000005", kyc_name="王芳")])
    account = ExchangeAccount.objects.get(uid="31000005")
    assert account.kyc_name_masked == "王*" and account.locks.count() == 1


REFUSALS: list[tuple[str, Any]] = [
    ("not_an_object", "account 31000099"),
    ("missing_id", account_event("31000099", id="")),
    ("unknown_type", account_event("31000099", type="kyc")),
    ("bad_uid", account_event("UID-7")),
    ("bad_version", account_event("31000099", version="2")),
    ("bad_version", account_event("31000099", version=0)),
    ("bad_date", lock_event("31000099", since="yesterday")),
    ("bad_date", lock_event("31000099", since="2026-12-01T09:30:00")),
    ("bad_date", lock_event("31000099", lifted_at="2026-13-01T09:30:00+08:00")),
    ("unknown_reason", lock_event("31000099", reason="bored")),
    ("unknown_restriction", lock_event("31000099", restrictions=["login", "fly"])),
    ("unknown_restriction", lock_event("31000099", restrictions=[])),
    ("unknown_kind", transaction_event("31000099", kind="airdrop")),
    ("bad_amount", transaction_event("31000099", amount="12,5")),
    ("bad_amount", transaction_event("31000099", amount="0.000000001")),
    ("bad_email", account_event("31000099", email="not-an-email")),
    ("bad_phone", account_event("31000099", phone="13800138000")),
    ("bad_field", account_event("31000099", language="tlh")),
    ("bad_field", account_event("31000099", time_zone="Mars/Olympus")),
    ("bad_field", transaction_event("31000099", tx_id="")),
]


@pytest.mark.parametrize(("reason", "bad"), REFUSALS,
                         ids=[f"{reason}-{i}" for i, (reason, _bad) in enumerate(REFUSALS)])
def test_bad_event_is_refused_with_its_reason_and_the_rest_lands(
        base: str, reason: str, bad: Any, caplog: pytest.LogCaptureFixture) -> None:
    good = account_event("31000001")
    caplog.set_level(logging.DEBUG)
    response = push(base, {"events": [bad, good]})
    assert response.status_code == 200
    results = response.json()["results"]
    assert results[0]["result"] == "refused" and results[0]["reason"] == reason
    assert results[1]["result"] == "stored"
    assert not ExchangeAccount.objects.filter(uid="31000099").exists()
    assert FeedEvent.objects.count() == 1
    assert "11010519491231002X" not in caplog.text + response.text


def test_lock_id_of_another_account_is_refused_and_rolled_back(base: str) -> None:
    push(base, [lock_event("31000001", lock_id="L-9")])
    body = push(base, [lock_event("31000002", lock_id="L-9", version=2)]).json()
    assert (body["results"][0]["reason"], body["results"][0]["field"]) == ("bad_field", "lock_id")
    assert not ExchangeAccount.objects.filter(uid="31000002").exists()
    assert AccountLock.objects.get(lock_id="L-9").account.uid == "31000001"


def test_body_that_is_not_events_is_a_clear_400(base: str) -> None:
    response = push(base, {"hello": "world"})
    assert response.status_code == 400 and response.json()["error"] == "bad_json"
    assert nothing_stored()


def test_get_is_not_allowed(base: str) -> None:
    assert httpx.get(f"{base}/api/v1/exchange/events").status_code == 405
