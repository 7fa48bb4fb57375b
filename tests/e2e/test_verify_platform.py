"""The public verifier's platform picker in a real browser: a name is checked on the platform
the person saw it on."""

from typing import Any

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_picking_telegram_checks_a_bare_name_as_a_telegram_account(live_server: Any, page: Any) -> None:
    page.goto(f"{live_server.url}/verify/")
    page.select_option("#id_platform", "telegram")
    page.fill("#id_value", "OKXOfficial_English")
    page.click("button[type=submit]")
    verdict = page.locator("#verdict")
    assert verdict.get_attribute("data-verdict") == "official"
    assert "Telegram" in verdict.inner_text()
    assert page.locator("#id_platform").input_value() == "telegram"  # the choice stays picked


def test_the_same_name_on_x_is_not_ours(live_server: Any, new_page: Any) -> None:
    page = new_page("en-US")
    page.goto(f"{live_server.url}/verify/")
    page.select_option("#id_platform", "x")
    page.fill("#id_value", "@okx_support_help")
    page.click("button[type=submit]")
    verdict = page.locator("#verdict")
    assert verdict.get_attribute("data-verdict") == "lookalike"
    assert "X (Twitter)" in verdict.inner_text() and "@okx_support_help" in verdict.inner_text()
