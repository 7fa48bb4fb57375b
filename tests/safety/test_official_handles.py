"""The brand's own social accounts come from configuration; handles in messages are checked too."""

import io
import json

import pytest
from django.core.management import call_command
from django.test import Client

from tests.factories import receive_one
from unlockdesk.safety.links import lookalikes_in
from unlockdesk.safety.models import ContactKind, OfficialChannel
from unlockdesk.safety.verifier import UnrecognisedInput, official_handles, verify

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["@okx", "https://x.com/okx", "t.me/OKXOfficial_English",
                                   "https://t.me/OKXOfficial_English", "@OKXOfficial_English"])
def test_the_brands_configured_accounts_are_official_with_an_empty_registry(value: str) -> None:
    assert not OfficialChannel.objects.exists()
    assert verify(value).verdict == "official"


def test_an_account_named_like_ours_is_a_lookalike_of_the_configured_one() -> None:
    answer = verify("@okx_support_help")
    assert (answer.verdict, answer.technique) == ("lookalike", "handle")


def test_a_handle_is_official_only_on_its_own_platform() -> None:
    assert verify("okx", platform=ContactKind.X).verdict == "official"
    assert verify("OKXOfficial_English", platform=ContactKind.TELEGRAM).verdict == "official"
    assert verify("OKXOfficial_English", platform=ContactKind.X).verdict == "lookalike"


def test_a_picked_platform_reads_a_bare_name_as_a_handle_not_an_agent_number() -> None:
    answer = verify("okx2024", platform=ContactKind.TELEGRAM)
    assert (answer.verdict, answer.kind) == ("lookalike", ContactKind.TELEGRAM)


def test_a_picked_platform_refuses_what_cannot_be_a_handle() -> None:
    with pytest.raises(UnrecognisedInput):
        verify("okx support!", platform=ContactKind.FACEBOOK)


def test_registry_handles_add_to_the_configured_ones() -> None:
    OfficialChannel.objects.create(kind=ContactKind.TELEGRAM, value="okx_cn")
    assert official_handles(ContactKind.TELEGRAM) == ("okxofficial_english", "okx_cn")
    assert verify("@okx_cn").verdict == "official"


def test_a_lookalike_handle_in_a_message_is_found_and_ours_is_not() -> None:
    found = lookalikes_in("Support @okx_support_help told me to DM them; @okx said nothing")
    assert [answer.value for answer in found] == ["@okx_support_help"]


def test_an_email_address_in_a_message_is_not_read_as_a_handle() -> None:
    assert lookalikes_in("write to support@okx.com please") == []


def test_a_message_naming_a_lookalike_handle_flags_the_ticket() -> None:
    receipt = receive_one(text="Telegram 上 @okx_support_help 说能帮我解冻，要我先转账，是官方吗？")
    assert "lookalike_link" in receipt.flags


def test_the_verify_page_checks_a_handle_on_the_picked_platform() -> None:
    response = Client().post("/verify/", {"platform": "telegram", "value": "OKXOfficial_English"})
    assert response.status_code == 200 and response.context["answer"].verdict == "official"
    assert "@okxofficial_english" in response.content.decode()


def test_verify_command_checks_a_name_on_the_given_platform() -> None:
    out = io.StringIO()
    call_command("verify", "--platform", "x", "okx", stdout=out)
    assert json.loads(out.getvalue())["verdict"] == "official"
