"""In Chromium: a picture an agent sends in a live chat opens for the customer from the widget."""

import io
from typing import Any

import pytest
from PIL import Image

from tests.e2e.chat_server import AsgiLiveServer
from tests.factories import make_agent
from unlockdesk.chat.models import Conversation
from unlockdesk.tickets.services.outbound import reply

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 60, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def test_the_customer_opens_the_agents_picture_from_the_chat(
    asgi_live_server: AsgiLiveServer, new_page: Any
) -> None:
    base = asgi_live_server.url
    customer = new_page("en-US")
    customer.goto(f"{base}/")
    customer.click("#ud-chat-launcher")
    customer.fill("#ud-chat-input", "How do I find my UID in the app?")
    customer.click("#ud-chat-ask")
    customer.click("#ud-chat-talk")
    customer.wait_for_selector("#ud-chat-log .ud-msg.ud-out")   # the acknowledgement
    conversation = Conversation.objects.select_related("ticket").get()
    reply(ticket=conversation.ticket, agent=make_agent(), text="Here is where to tap.",
          files=[("where-to-tap.png", _png())])
    link = customer.locator("#ud-chat-log .ud-file-link", has_text="where-to-tap.png")
    link.wait_for()
    with customer.expect_popup() as opened:
        link.click()
    picture = opened.value
    picture.wait_for_load_state()
    assert "/chat/files/" in picture.url
    size = picture.evaluate("() => { const i = document.querySelector('img');"
                            " return i ? [i.naturalWidth, i.naturalHeight] : null; }")
    assert size == [64, 48]
