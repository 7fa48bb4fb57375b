"""Playwright on Debian's Chromium against pytest-django's live server."""

import os
from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.chat_server import AsgiLiveServer

CHROMIUM = os.environ.get("UNLOCKDESK_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One Chromium per test module. Playwright's sync API keeps an event loop running in the
    main thread while it is open, so a session-wide browser would break every asyncio test
    that runs after the browser tests (tests/hostile's socket tests do)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser: Any) -> Iterator[Any]:
    """A factory of isolated pages (own cookies), for tests with several people at once."""
    contexts: list[Any] = []

    def make(locale: str = "zh-CN") -> Any:
        context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900})
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Any) -> Any:
    return new_page()


@pytest.fixture
def asgi_live_server(transactional_db: Any) -> Iterator[AsgiLiveServer]:
    """The ASGI app (HTTP and websockets) on a free port: xdist may run tests of one file side
    by side, so no test names a port."""
    server = AsgiLiveServer().start()
    yield server
    server.stop()
