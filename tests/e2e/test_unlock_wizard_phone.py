"""The unlock wizard on a phone, in Chinese: every step fits the screen (no sideways scrolling)
and each identity requirement comes with its example picture."""

from typing import Any

import pytest

from tests.factories import VALID_ID_NUMBERS
from tests.helpers import browser_portal_login
from tests.unlock.builders import customer_for, locked_account
from unlockdesk.unlock import services
from unlockdesk.unlock.types import Step

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}


def test_unlock_wizard_fits_a_phone_and_shows_an_example_for_each_identity_picture(
        live_server: Any, browser: Any) -> None:
    account = locked_account(email="phone@example.com")
    customer = customer_for("phone@example.com")
    draft = services.start_or_resume(customer)
    services.save_account_step(draft, customer, reference=account.uid, kyc_name="张伟",
                               id_number=VALID_ID_NUMBERS[0])
    services.advance(draft, Step.OTHER)
    context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        browser_portal_login(page, live_server.url, "phone@example.com")
        for step in Step.values:
            page.goto(f"{live_server.url}/portal/unlock/step/{step}/")
            width = page.evaluate("() => document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"step {step} is {width}px wide"
        page.goto(f"{live_server.url}/portal/unlock/step/{Step.IDENTITY}/")
        assert "身份证明" in page.inner_text(".unlock h2")
        for kind in ("id_front", "id_back", "handheld"):
            example = page.locator(f"#req-{kind} figure.example-figure img.example")
            assert example.evaluate("img => img.complete && img.naturalWidth > 0"), kind
        assert "仅用于欧易账户解锁" in page.inner_text("#req-handheld .note-overlay")
    finally:
        context.close()
