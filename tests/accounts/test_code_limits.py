"""Sign-in codes have per-address, per-IP and global budgets; the IVR freeze has its own.

The pages and the voice webhook are driven over real HTTP against a live server: the budgets
must hold with the real middleware, CSRF and client address in the way.
"""

import hashlib
import hmac
import json
import re

import httpx
import pytest

from tests.factories import make_account
from tests.helpers import last_code_sent_to
from unlockdesk.accounts import codes, selectors
from unlockdesk.accounts.models import CustomerCode
from unlockdesk.accounts.types import Restriction

VOICE_SECRET = "voice-secret"
VICTIM = "+8613800138009"


@pytest.fixture(autouse=True)
def _voice_secret(settings) -> None:  # type: ignore[no-untyped-def]
    settings.UNLOCKDESK_VOICE_WEBHOOK_SECRET = VOICE_SECRET


def ask_for_signin_code(http: httpx.Client, address: str, language: str = "en") -> httpx.Response:
    """What a browser does: fetch the form (CSRF cookie and token), then post the address."""
    form = http.get("/portal/signin/", headers={"Accept-Language": language})
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
    assert token is not None
    return http.post("/portal/signin/", data={"address": address, "csrfmiddlewaretoken": token[1]},
                     headers={"Accept-Language": language, "Referer": str(http.base_url)})


def voice_event(http: httpx.Client, event: dict[str, str]) -> dict[str, str]:
    body = json.dumps(event).encode()
    signature = "sha256=" + hmac.new(VOICE_SECRET.encode(), body, hashlib.sha256).hexdigest()
    response = http.post("/webhooks/voice/", content=body, headers={
        "Content-Type": "application/json", "X-Unlockdesk-Signature": signature})
    assert response.status_code == 200, response.text
    return dict(response.json())


@pytest.mark.django_db(transaction=True)
def test_a_stranger_spending_the_signin_quota_cannot_block_the_phone_freeze(live_server) -> None:  # type: ignore[no-untyped-def]
    account = make_account(phone=VICTIM)
    with httpx.Client(base_url=live_server.url, timeout=60) as stranger:
        for _ in range(5):
            assert ask_for_signin_code(stranger, VICTIM).status_code == 302
        refused = ask_for_signin_code(stranger, VICTIM)
        assert refused.status_code == 200 and "Too many codes" in refused.text
    with httpx.Client(base_url=live_server.url, timeout=60) as provider:
        said = voice_event(provider, {"event": "freeze_request", "call_id": "c1", "from": VICTIM,
                                      "language": "en"})
        assert "Too many" not in said["say"] and "6-digit code" in said["say"]
        code = last_code_sent_to(VICTIM)
        done = voice_event(provider, {"event": "freeze_confirm", "call_id": "c1", "from": VICTIM,
                                      "digits": code, "language": "en"})
    assert "frozen" in done["say"]
    assert selectors.blocked(account) == {Restriction.LOGIN, Restriction.TRADE, Restriction.WITHDRAW}


@pytest.mark.django_db(transaction=True)
def test_one_client_cannot_send_codes_to_many_numbers(live_server, settings) -> None:  # type: ignore[no-untyped-def]
    settings.UNLOCKDESK_OTP_SENDS_PER_IP = 3
    numbers = [f"+86138001380{n:02d}" for n in range(5)]
    with httpx.Client(base_url=live_server.url, timeout=60) as pump:
        answers = [ask_for_signin_code(pump, number) for number in numbers]
    assert [a.status_code for a in answers] == [302, 302, 302, 200, 200], answers[0].text[-3000:]
    assert "Too many codes were requested from your network" in answers[3].text
    assert CustomerCode.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_the_refusal_is_explained_in_chinese(live_server, settings) -> None:  # type: ignore[no-untyped-def]
    settings.UNLOCKDESK_OTP_SENDS_PER_IP = 1
    with httpx.Client(base_url=live_server.url, timeout=60) as pump:
        assert ask_for_signin_code(pump, "a@example.com", "zh-hans").status_code == 302
        refused = ask_for_signin_code(pump, "b@example.com", "zh-hans")
    assert refused.status_code == 200
    assert "您的网络请求的验证码过多" in refused.text


@pytest.mark.django_db
def test_the_whole_desk_has_a_budget_per_minute_across_addresses_and_ips(settings) -> None:
    settings.UNLOCKDESK_OTP_SENDS_PER_MINUTE = 3
    for n in range(3):
        codes.send_code("email", f"user{n}@example.com", client_ip=f"203.0.113.{n}")
    with pytest.raises(codes.CodeThrottled) as refused:
        codes.send_code("email", "user9@example.com", client_ip="203.0.113.9")
    assert refused.value.scope == "global"
    assert CustomerCode.objects.count() == 3


@pytest.mark.django_db
def test_a_newer_signin_code_does_not_replace_the_freeze_code() -> None:
    codes.send_freeze_code(VICTIM)
    freeze_code = last_code_sent_to(VICTIM)
    codes.send_code("phone", VICTIM, client_ip="198.51.100.7")
    codes.verify_freeze_code(VICTIM, freeze_code)
    with pytest.raises(codes.CodeRejected):  # and a freeze code never signs anyone in
        codes.verify_code("phone", VICTIM, freeze_code)


@pytest.mark.django_db
def test_freeze_codes_have_their_own_quota(settings) -> None:
    settings.UNLOCKDESK_FREEZE_CODES_PER_HOUR = 2
    codes.send_freeze_code(VICTIM)
    codes.send_freeze_code(VICTIM)
    with pytest.raises(codes.CodeThrottled):
        codes.send_freeze_code(VICTIM)
    codes.send_code("phone", VICTIM, client_ip=None)  # the sign-in budget is untouched
