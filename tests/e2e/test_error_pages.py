"""A mistyped link on a phone: a page of the site in Chinese that fits the screen."""

from typing import Any

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}


def test_missing_page_on_a_phone_is_styled_chinese_and_fits_the_screen(live_server: Any,
                                                                       browser: Any) -> None:
    context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        response = page.goto(f"{live_server.url}/portal/tickets/UD-NOPE/transcript/nothing/")
        assert response is not None and response.status == 404
        assert "找不到这个页面" in page.inner_text("main h1")
        assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
        page.click("text=返回客服首页")
        page.wait_for_url(f"{live_server.url}/")
    finally:
        context.close()
