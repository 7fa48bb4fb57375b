"""A Chinese-speaking reviewer reads the review screen in words: check names, their findings,
the customer's answers and the decision history, never the codes behind them."""

import re
from typing import Any

import pytest

from tests.factories import make_agent
from tests.helpers import browser_console_login
from tests.unlock.builders import (
    customer_for,
    default_reason_templates,
    identity_checks_only,
    locked_account,
    submitted,
)
from unlockdesk.staff.models import Role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CODES = re.compile(r"kyc_match|id_number\b|name_mismatch|in_review|needs_info|identity-confirmed"
                   r"|\blogin\b|\bwithdraw\b|\[REDACTED|agent:|customer:|system:")


def test_chinese_review_screen_shows_words_and_asks_to_acknowledge_each_failed_check(
        live_server: Any, new_page: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    identity_checks_only(monkeypatch)
    default_reason_templates()
    locked_account(email="zh-review@example.com", kyc_name="张伟")
    application = submitted(customer_for("zh-review@example.com"), name="李四")
    reviewer = make_agent(role=Role.REVIEWER)
    page = new_page("zh-CN")
    browser_console_login(page, live_server.url, reviewer)
    page.goto(f"{live_server.url}/console/unlock/{application.pk}/")
    text = page.inner_text("main")
    assert not CODES.findall(text), CODES.findall(text)
    assert "实名信息一致" in text and "我已核实" in text and "登录" in text
    page.check("input[name=decision][value=approve]")
    page.click("#decision-form button[type=submit]")
    page.locator("#decision-errors").wait_for()
    assert "我已核实" in page.inner_text("#decision-errors")
