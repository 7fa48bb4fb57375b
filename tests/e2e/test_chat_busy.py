"""The widget under overload, in a real browser: the server says "busy, retry after 1 s", the
widget tells the customer in their language, resends the same message by itself, and the
agent sees it once."""

from typing import Any

import pytest

from tests.e2e.chat_server import AsgiLiveServer
from unlockdesk.tickets.models import Message

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_chat_widget_resends_a_message_the_busy_server_refused(
    asgi_live_server: AsgiLiveServer, new_page: Any, settings: Any
) -> None:
    base = asgi_live_server.url
    customer = new_page("zh-CN")
    customer.goto(f"{base}/")
    customer.click("#ud-chat-launcher")
    customer.fill("#ud-chat-input", "my account is locked")
    customer.click("#ud-chat-talk")
    customer.wait_for_selector("#ud-chat-log .ud-msg.ud-out", timeout=60_000)  # the acknowledgement

    settings.UNLOCKDESK_CHAT_MAX_PENDING = 0  # the server is full
    customer.fill("#ud-chat-input", "还在吗？")
    customer.press("#ud-chat-input", "Enter")
    status = customer.locator("#ud-chat-status")
    status.wait_for(state="visible")
    assert "繁忙" in status.inner_text() and "1 秒" in status.inner_text()
    assert "busy" not in status.inner_text()
    assert customer.locator("#ud-chat-log .ud-pending", has_text="还在吗？").count() == 1
    assert not Message.objects.filter(body_text="还在吗？").exists()

    settings.UNLOCKDESK_CHAT_MAX_PENDING = 100  # room again: the widget resends by itself
    sent = customer.locator("#ud-chat-log .ud-in[data-seq]", has_text="还在吗？")
    sent.wait_for(timeout=10_000)
    customer.wait_for_timeout(1500)  # any further resend would have landed by now
    assert customer.locator("#ud-chat-log .ud-in", has_text="还在吗？").count() == 1
    assert customer.locator("#ud-chat-log .ud-pending").count() == 0
    assert Message.objects.filter(body_text="还在吗？").count() == 1
    assert status.is_hidden()
