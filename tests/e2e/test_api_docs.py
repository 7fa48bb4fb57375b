"""/api/docs in Chromium: Swagger UI renders API v1 with the site's CSP, nothing blocked."""

from typing import Any

import pytest

pytestmark = pytest.mark.e2e


def test_swagger_ui_renders_under_the_site_csp(live_server: Any, page: Any) -> None:
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.goto(f"{live_server.url}/api/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=20_000)
    assert page.locator(".opblock").count() >= 12
    assert "/api/v1/tickets/{number}/messages" in page.locator(".opblock-summary-path").all_inner_texts()
    assert violations == []
