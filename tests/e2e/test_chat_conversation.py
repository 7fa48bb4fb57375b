"""Live chat in two real browsers: a customer in the widget and an agent in the live console,
over websockets, including a connection that drops while the server restarts and resumes
without losing or repeating a message."""

from typing import Any

import pytest

from tests.e2e.chat_server import AsgiLiveServer
from tests.factories import make_agent
from tests.helpers import browser_console_login
from unlockdesk.tickets.models import Direction, Message

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_chat_whole_conversation_with_drop_and_restart_loses_nothing(
    asgi_live_server: AsgiLiveServer, new_page: Any
) -> None:
    base = asgi_live_server.url
    agent = make_agent(agent_number="A8001")
    console = new_page("en-US")
    browser_console_login(console, base, agent)
    console.goto(f"{base}/chat/console/")
    console.wait_for_selector("#chat-status:has-text('live')")

    customer = new_page("en-US")
    customer.goto(f"{base}/")
    customer.click("#ud-chat-launcher")
    customer.fill("#ud-chat-input", "Someone hacked my account and is stealing my funds")
    customer.click("#ud-chat-ask")
    customer.wait_for_selector("#ud-chat-freeze")               # urgent: freeze first, agent now
    assert customer.locator("#ud-chat-suggestions li").count() >= 1
    customer.click("#ud-chat-talk")
    customer.wait_for_selector("#ud-chat-log .ud-msg.ud-out")   # the acknowledgement, ticket number in it

    row = console.locator("#chat-list li[data-id]")              # appears live, no reload
    row.first.wait_for()
    row.first.click()
    console.wait_for_selector("#chat-log .msg.in:has-text('stealing my funds')")
    console.click("#chat-accept")
    customer.wait_for_selector("#ud-chat-log:has-text('A8001')")

    console.fill("#chat-text", "I am freezing withdrawals now.")
    customer.wait_for_selector("#ud-chat-typing:visible")       # typing indicator
    console.click("#chat-send")
    answer = customer.locator("#ud-chat-log .ud-out", has_text="I am freezing withdrawals now.")
    answer.wait_for()
    assert "A8001" in answer.inner_text()                        # 工号 on every agent message
    console.fill("#chat-text", "Check KYC match before unlocking")
    console.click("#chat-note")
    console.wait_for_selector("#chat-log .msg.note")

    customer.fill("#ud-chat-input", "Thank you, it was not me who logged in.")
    customer.press("#ud-chat-input", "Enter")
    console.wait_for_selector("#chat-log .msg.in:has-text('it was not me')")

    # The customer's connection drops, the server restarts; both sides keep writing.
    customer.evaluate("UnlockdeskChat.drop()")
    customer.context.set_offline(True)
    asgi_live_server.stop()
    asgi_live_server = AsgiLiveServer(asgi_live_server.port).start()
    customer.fill("#ud-chat-input", "Are you still there?")       # queued while offline
    customer.press("#ud-chat-input", "Enter")
    console.wait_for_selector("#chat-status:has-text('live')")
    for text in ("Withdrawals are frozen.", "Please prepare your ID card."):
        console.fill("#chat-text", text)
        console.click("#chat-send")
        console.wait_for_selector(f"#chat-log .msg.out:has-text('{text}')")
    customer.context.set_offline(False)
    customer.evaluate("UnlockdeskChat.resume()")
    customer.wait_for_selector("#ud-chat-log .ud-out:has-text('Please prepare your ID card.')")
    console.wait_for_selector("#chat-log .msg.in:has-text('Are you still there?')")

    log = customer.locator("#ud-chat-log")
    for text in ("Withdrawals are frozen.", "Please prepare your ID card.", "I am freezing withdrawals now."):
        assert log.locator(".ud-out", has_text=text).count() == 1
    assert log.locator(".ud-in", has_text="Are you still there?").count() == 1
    assert "Check KYC match" not in log.inner_text()
    assert Message.objects.filter(body_text="Are you still there?", direction=Direction.INBOUND).count() == 1
    seqs = [int(s) for s in log.locator("[data-seq]").evaluate_all("ns => ns.map(n => n.dataset.seq)")]
    assert seqs == sorted(seqs) and len(seqs) == len(set(seqs))

    console.click("#chat-end")
    customer.wait_for_selector("#ud-chat-end", state="hidden")
    asgi_live_server.stop()
