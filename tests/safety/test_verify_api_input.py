"""POST /api/safety/verify is called by anyone's scripts: malformed text gets a clear 4xx over
real HTTP, never a server error."""

import httpx
import pytest


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("body", [
    b'{"value": "okx.com\\ud800"}',          # a lone high surrogate after a real domain
    b'{"value": "\\udfff"}',                 # a lone low surrogate alone
    b'{"value": "support@okx.com\\udc80", "language": "zh"}',
])
def test_lone_surrogates_are_a_clear_400(live_server, body: bytes) -> None:  # type: ignore[no-untyped-def]
    response = httpx.post(f"{live_server.url}/api/safety/verify", content=body,
                          headers={"Content-Type": "application/json"}, timeout=60)
    assert response.status_code == 400
    assert "not readable text" in response.json()["detail"] or "可读" in response.json()["detail"]


@pytest.mark.django_db(transaction=True)
def test_the_refusal_is_in_chinese_when_asked(live_server) -> None:  # type: ignore[no-untyped-def]
    response = httpx.post(f"{live_server.url}/api/safety/verify",
                          content=b'{"value": "\\ud800", "language": "zh-hans"}',
                          headers={"Content-Type": "application/json"}, timeout=60)
    assert response.status_code == 400 and "不是可读的文字" in response.json()["detail"]
