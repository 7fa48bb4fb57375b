"""API keys: a key reaches only what its scopes allow, and only while it is valid."""

from datetime import timedelta

import httpx
from django.utils import timezone

from tests.api.conftest import MakeKey, bearer
from unlockdesk.api import keys
from unlockdesk.api.models import ApiKey


def test_key_without_the_scope_gets_403(http: httpx.Client, make_key: MakeKey) -> None:
    token = make_key("tickets:read")
    response = http.post("/tickets", headers=bearer(token), json={
        "subject": "x", "text": "y", "contact": {"kind": "uid", "value": "20000001"}})
    assert response.status_code == 403
    assert response.json()["code"] == "scope_missing"
    assert http.get("/tickets", headers=bearer(token)).status_code == 200


def test_revoked_key_gets_401(http: httpx.Client, make_key: MakeKey) -> None:
    token = make_key("tickets:read")
    assert http.get("/tickets", headers=bearer(token)).status_code == 200
    keys.revoke_key(ApiKey.objects.get(), actor="test")
    response = http.get("/tickets", headers=bearer(token))
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_expired_wrong_and_missing_keys_get_401(http: httpx.Client, make_key: MakeKey) -> None:
    token = make_key("tickets:read", expires_at=timezone.now() + timedelta(minutes=5))
    ApiKey.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert http.get("/tickets", headers=bearer(token)).status_code == 401
    fresh = make_key("tickets:read")
    tampered = fresh[:-4] + ("aaaa" if not fresh.endswith("aaaa") else "bbbb")
    assert http.get("/tickets", headers=bearer(tampered)).status_code == 401
    assert http.get("/tickets").status_code == 401


def test_only_a_hash_of_the_token_is_stored(make_key: MakeKey) -> None:
    token = make_key("tickets:read")
    key = ApiKey.objects.get()
    assert token not in (key.token_hash, key.prefix) and token.startswith(f"udk_{key.prefix}_")


def test_each_key_has_its_own_rate_limit(http: httpx.Client, make_key: MakeKey) -> None:
    slow = make_key("tickets:read", rate_per_minute=2)
    other = make_key("tickets:read")
    statuses = [http.get("/tickets", headers=bearer(slow)).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    limited = http.get("/tickets", headers=bearer(slow))
    assert limited.json()["code"] == "rate_limited" and limited.headers["Retry-After"] == "60"
    assert http.get("/tickets", headers=bearer(other)).status_code == 200


def test_use_is_recorded(http: httpx.Client, make_key: MakeKey) -> None:
    token = make_key("tickets:read")
    assert ApiKey.objects.get().last_used_at is None
    http.get("/tickets", headers=bearer(token))
    assert ApiKey.objects.get().last_used_at is not None
