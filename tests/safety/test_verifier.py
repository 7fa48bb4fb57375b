"""The official-channel verifier: each lookalike technique, the registry, 工号, the blocklist,
and its three faces (command, page, API)."""

import io
import json
from collections.abc import Callable
from contextlib import AbstractContextManager

import pytest
from django.core.management import call_command
from django.test import Client

from tests.factories import make_agent
from unlockdesk.safety.models import BlockedContact, ContactKind, OfficialChannel
from unlockdesk.safety.verifier import verify

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", [
    "https://www.okx.com/zh-hans/help", "okx.com", "https://my.okx.cn/login", "support@okx.com",
    "okx。com",  # an ideographic full stop is a dot to browsers
])
def test_brand_domains_and_their_subdomains_are_official(value: str) -> None:
    assert verify(value).verdict == "official"


@pytest.mark.parametrize(("value", "technique"), [
    ("https://оkx.com/login", "confusable"),            # Cyrillic о
    ("https://xn--kx-emc.com/", "confusable"),          # the same, as punycode
    ("ｏｋｘ.com", "confusable"),                        # full-width letters
    ("0kx.com", "confusable"),                          # digit zero for o
    ("oxk.com", "typo"),                                # swapped letters
    ("okc.com", "typo"),
    ("https://okx.com.evil.io/verify", "brand_word"),
    ("okx-support.com", "brand_word"),
    ("secure-okex.net", "brand_word"),
    ("okx.co", "tld_swap"),
    ("okx.net", "tld_swap"),
    ("okx.support@gmail.com", "free_mail"),
    ("欧易客服@qq.com", "free_mail"),
    ("https://www.ökx.com", "confusable"),              # diacritic
    ("admin@0kx.com", "confusable"),                    # lookalike domain behind an address
    ("https://oxk.io", "typo"),                         # swap and another ending
    ("https://okx.cn.verify-account.net", "brand_word"),
    ("https://login-okx.com", "brand_word"),
    ("https://okex.co", "tld_swap"),
    ("http://okx.com@evil.io/login", "userinfo"),       # browsers open evil.io
    ("@0kx_official", "handle"),
    ("https://0kx。com/login", "confusable"),          # ideographic full stop
    ("okx．support．com", "brand_word"),                # full-width full stops
    ("歐易客服@qq.com", "free_mail"),                   # the brand in Traditional Chinese
])
def test_each_lookalike_technique_is_named(value: str, technique: str) -> None:
    answer = verify(value)
    assert (answer.verdict, answer.technique) == ("lookalike", technique), answer.reason


@pytest.mark.parametrize("value", ["example.com", "https://github.com/", "alice@gmail.com"])
def test_unrelated_contacts_are_unknown(value: str) -> None:
    assert verify(value).verdict == "unknown"


def test_brand_words_come_from_settings(settings) -> None:  # type: ignore[no-untyped-def]
    from unlockdesk.brand import Brand

    settings.BRAND = Brand("币安", "Binance", ("binance.com",), ("binance",), "x", "s@binance.com", "UD")
    assert verify("binance-help.com").verdict == "lookalike"
    assert verify("okx-support.com").verdict == "unknown"


def test_registry_lists_handles_numbers_and_addresses() -> None:
    OfficialChannel.objects.create(kind=ContactKind.TELEGRAM, value="okx_cn", label="Telegram 官方群")
    OfficialChannel.objects.create(kind=ContactKind.PHONE, value="+8640012345678", label="hotline")
    OfficialChannel.objects.create(kind=ContactKind.EMAIL, value="help@okx-mail.com")
    OfficialChannel.objects.create(kind=ContactKind.X, value="okxhelp", active=False)
    assert verify("https://t.me/okx_cn").verdict == "official"
    assert verify("@okx_cn").verdict == "official"
    assert verify("+86 400 1234 5678").verdict == "official"
    assert verify("help@okx-mail.com").verdict == "official"
    assert verify("https://x.com/okxhelp").verdict == "lookalike"  # retired
    assert verify("t.me/okx_cn_support").verdict == "lookalike"
    assert verify("@randomtrader").verdict == "unknown"


def test_agent_numbers_are_read_from_staff() -> None:
    active = make_agent(agent_number="A7001")
    former = make_agent(agent_number="A7002")
    former.is_active = False
    former.save()
    assert verify("a7001").verdict == "official" and active.public_name in verify("A7001").reason
    assert verify("A7002").verdict == "lookalike"
    assert verify("A7999").verdict == "unknown"


def test_confirmed_scam_on_the_blocklist_is_called_out() -> None:
    BlockedContact.objects.create(kind=ContactKind.DOMAIN, value="cheap-usdt.io")
    answer = verify("https://www.cheap-usdt.io/pay")
    assert (answer.verdict, answer.technique) == ("lookalike", "blocklist")


def test_an_email_address_is_judged_in_two_reads_against_the_registry_and_the_blocklist(
        django_assert_max_num_queries: Callable[..., AbstractContextManager[object]]) -> None:
    """Each address in every inbound message is verified: the blocklist (address, domain,
    registrable domain) in one read, the registry (the address, active domains) in another."""
    OfficialChannel.objects.create(kind=ContactKind.DOMAIN, value="okx-mail.com")
    OfficialChannel.objects.create(kind=ContactKind.EMAIL, value="retired@okx-help.net", active=False)
    BlockedContact.objects.create(kind=ContactKind.DOMAIN, value="usdt-pay.io")
    with django_assert_max_num_queries(2):
        assert verify("anyone@okx-mail.com").verdict == "official"  # a registry domain
    with django_assert_max_num_queries(2):
        assert verify("retired@okx-help.net").verdict == "lookalike"  # listed, not active
    with django_assert_max_num_queries(1):
        answer = verify("refunds@mail.usdt-pay.io")  # its registrable domain is blocked
    assert (answer.verdict, answer.technique) == ("lookalike", "blocklist")
    assert verify("support@okx.com").verdict == "official"


def test_verify_command_prints_verdict_and_reason() -> None:
    out = io.StringIO()
    call_command("verify", "okx-support.com", stdout=out)
    data = json.loads(out.getvalue())
    assert set(data) == {"verdict", "reason"} and data["verdict"] == "lookalike"


def test_verifier_page_needs_no_login_and_answers_in_chinese(client: Client) -> None:
    response = client.post("/verify/", {"value": "okx.co"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    assert 'data-verdict="lookalike"' in response.content.decode()


def test_verifier_page_is_rate_limited(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.UNLOCKDESK_VERIFY_PER_MINUTE = 2
    codes = [client.get("/verify/", {"value": "okx.com"}).status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_verifier_api_answers_anyone(client: Client) -> None:
    response = client.post("/api/safety/verify", {"value": "okx.support@gmail.com"},
                           content_type="application/json")
    assert response.status_code == 200
    assert response.json()["verdict"] == "lookalike"


def test_verifier_api_rejects_nonsense_with_a_clear_error(client: Client) -> None:
    response = client.post("/api/safety/verify", {"value": "  "}, content_type="application/json")
    assert response.status_code == 400 and response.json()["detail"]


def test_link_whose_real_host_is_ours_stays_official_whatever_precedes_the_at() -> None:
    assert verify("http://user@okx.com/").verdict == "official"


@pytest.mark.parametrize("value", ["https://", "http://[::1", "hello world", "javascript:alert(1)"])
def test_nonsense_is_refused_with_a_reason(value: str) -> None:
    from unlockdesk.safety.verifier import UnrecognisedInput

    with pytest.raises(UnrecognisedInput):
        verify(value)


def test_verify_command_refuses_nonsense_with_exit_status_2() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as error:
        call_command("verify", "hello world")
    assert error.value.returncode == 2
