"""The macro picker in the live-chat console: the macro is filled for the open chat's ticket,
inserted with the keyboard and reaches the customer's widget."""

from typing import Any

import pytest

from tests.e2e.chat_server import AsgiLiveServer
from tests.factories import make_agent
from tests.helpers import browser_console_login
from unlockdesk.tickets.models import Ticket
from unlockdesk.tickets.services.macros import save_macro

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

def test_chat_agent_inserts_a_macro_and_the_customer_reads_it(
    asgi_live_server: AsgiLiveServer, new_page: Any
) -> None:
    base = asgi_live_server.url
    agent = make_agent(agent_number="A8101")
    save_macro(by=agent, name="Ticket number", body_zh="您的工单号是 {{工单号}}，客服 {{工号}}。",
               body_en="Your ticket number is {{ticket_number}}, agent {{agent_number}}.")
    console = new_page("en-US")
    browser_console_login(console, base, agent)
    console.goto(f"{base}/chat/console/")
    console.wait_for_selector("#chat-status:has-text('live')")

    customer = new_page("en-US")
    customer.goto(f"{base}/")
    customer.click("#ud-chat-launcher")
    customer.fill("#ud-chat-input", "My withdrawal has been pending for two days")
    customer.click("#ud-chat-ask")
    customer.click("#ud-chat-talk")
    customer.wait_for_selector("#ud-chat-log .ud-msg.ud-out")

    console.locator("#chat-list li[data-id]").first.click()
    console.wait_for_selector("#chat-log .msg.in:has-text('pending for two days')")
    console.click("#chat-accept")
    number = console.locator("#chat-ticket").inner_text().strip()
    ticket = Ticket.objects.get(number=number)
    console.click("#chat-macro")
    console.keyboard.type("ticket number")
    console.wait_for_selector("#chat-macro-options [role=option]")
    console.keyboard.press("Enter")
    text = console.locator("#chat-text").input_value()
    assert ticket.language == "en"  # the customer wrote English: the English text, filled
    assert text == f"Your ticket number is {number}, agent A8101."
    console.click("#chat-send")
    customer.wait_for_selector(f"#ud-chat-log .ud-out:has-text('{number}, agent A8101')")
