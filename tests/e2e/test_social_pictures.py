"""A customer's screenshot sent on Telegram, in a real browser: the agent sees the picture in
the conversation, and answers with a picture of their own that reaches Telegram's API."""

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image

from tests.factories import make_agent
from tests.helpers import browser_console_login
from tests.intake import fake_social
from tests.intake import webhook_signing as hooks
from unlockdesk.tickets.models import Attachment, Ticket

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def picture(size: tuple[int, int], colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="JPEG")
    return out.getvalue()


@pytest.fixture
def fake(settings: Any) -> Iterator[fake_social.FakeSocial]:
    hooks.configure(settings)
    with fake_social.running() as platform:
        platform.configure(settings)
        yield platform


def test_console_shows_the_customers_picture_and_sends_one_back(
        live_server: Any, new_page: Any, fake: fake_social.FakeSocial, tmp_path: Path) -> None:
    fake.files["shot"] = picture((400, 300), (20, 160, 60))
    update = {"update_id": 9001, "message": {
        "message_id": 77, "chat": {"id": 4242, "type": "private"}, "from": {"id": 4242, "first_name": "Li"},
        "caption": "提现页面一直报错", "photo": [{"file_id": "shot", "file_unique_id": "u", "width": 400,
                                              "height": 300}]}}
    body = hooks.encode(update)
    response = httpx.post(live_server.url + hooks.PATHS["telegram"], content=body, timeout=30,
                          headers={"Content-Type": "application/json", **hooks.proof("telegram", body)})
    assert response.status_code == 200, response.text
    number = Ticket.objects.get().number

    console = new_page()
    browser_console_login(console, live_server.url, make_agent())
    console.goto(f"{live_server.url}/console/tickets/{number}/")
    thumb = console.locator(".msg.in img.thumb")
    thumb.wait_for()
    console.wait_for_function("document.querySelector('.msg.in img.thumb').complete")
    size = thumb.evaluate("img => [img.naturalWidth, img.naturalHeight]")
    assert size == [320, 240]  # the thumbnail of the 400×300 screenshot, decoded by Chromium

    answer = tmp_path / "where-to-tap.png"
    Image.new("RGB", (50, 80), (250, 200, 0)).save(answer, format="PNG")
    console.fill("#reply-form textarea", "请按图中位置点击“重新验证”")
    console.set_input_files("#reply-files", str(answer))
    console.click("#reply-form button[type=submit]")
    console.wait_for_selector(".msg.out img.thumb")

    sent = fake.sent(f"/tg/bot{fake_social.TELEGRAM_TOKEN}/sendPhoto")
    assert len(sent) == 1 and sent[0].files["photo"][0] == "where-to-tap.png"
    assert Attachment.objects.filter(message__direction="out").count() == 1
