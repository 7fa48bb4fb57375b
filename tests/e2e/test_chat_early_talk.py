"""A customer who asks or presses "Talk to an agent" before the server's welcome has arrived (a slow
connection, a busy server) still gets a case: the message waits and is sent once the
conversation is known, instead of being dropped."""

from typing import Any

import pytest

from tests.e2e.chat_server import AsgiLiveServer
from unlockdesk.chat.models import Conversation
from unlockdesk.tickets.models import Message

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Sockets that connect but stay "connecting" for the page until released: the slow network.
SLOW_SOCKETS = """
(() => {
  const Real = window.WebSocket;
  let released = false;
  const waiting = [];
  window.releaseSockets = () => { released = true; waiting.splice(0).forEach((run) => run()); };
  class Slow extends Real {
    get readyState() { return released ? super.readyState : 0; }
    set onopen(handler) {
      super.onopen = (event) => {
        if (released) handler.call(this, event);
        else waiting.push(() => handler.call(this, event));
      };
    }
  }
  window.WebSocket = Slow;
})();
"""


def _connecting_widget(server: AsgiLiveServer, new_page: Any, text: str) -> Any:
    """A customer's page with the widget open and `text` typed, its socket still connecting."""
    customer = new_page("en-US")
    customer.add_init_script(SLOW_SOCKETS)
    customer.goto(f"{server.url}/")
    customer.click("#ud-chat-launcher")
    customer.fill("#ud-chat-input", text)
    return customer


def test_talk_pressed_before_the_welcome_opens_the_case_once(
    asgi_live_server: AsgiLiveServer, new_page: Any
) -> None:
    customer = _connecting_widget(asgi_live_server, new_page,
                                  "My withdrawal has been pending for two days")
    customer.click("#ud-chat-talk")                          # the socket is not open yet
    customer.wait_for_selector("#ud-chat-log .ud-pending")   # shown as waiting to be sent
    assert not Message.objects.exists()

    customer.evaluate("window.releaseSockets()")
    customer.wait_for_selector("#ud-chat-log .ud-msg.ud-out")  # the acknowledgement
    conversation = Conversation.objects.select_related("ticket").get()
    assert conversation.ticket is not None
    bodies = list(Message.objects.filter(ticket=conversation.ticket, direction="in")
                  .values_list("body_text", flat=True))
    assert bodies == ["My withdrawal has been pending for two days"]
    assert customer.evaluate("localStorage.getItem('udchat.pending:')") is None


def test_a_question_asked_while_connecting_is_answered(
    asgi_live_server: AsgiLiveServer, new_page: Any
) -> None:
    customer = _connecting_widget(asgi_live_server, new_page,
                                  "Someone hacked my account and is stealing my funds")
    customer.click("#ud-chat-ask")                           # the socket is not open yet
    customer.evaluate("window.releaseSockets()")
    customer.wait_for_selector("#ud-chat-freeze")            # urgent: the freeze is offered
