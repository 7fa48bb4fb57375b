"""Every provider webhook over real HTTP against a live server (middleware and CSRF included,
which Django's test client skips): genuine deliveries are stored; forged, replayed or
malformed ones get a 4xx and store nothing."""

import json
from typing import Any

import httpx
import pytest

from tests.intake import webhook_signing as hooks
from tests.intake.mailfactory import mail
from unlockdesk.tickets.models import Message, Ticket

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _secrets(settings: Any) -> None:
    hooks.configure(settings)


def post(live_server: Any, channel: str, body: bytes,
         headers: dict[str, Any] | None = None) -> httpx.Response:
    return httpx.post(live_server.url + hooks.PATHS[channel], content=body, timeout=30,
                      headers={"Content-Type": "application/json", **(headers or {})})


def deliver(live_server: Any, channel: str, data: Any) -> httpx.Response:
    body = hooks.encode(data)
    return post(live_server, channel, body, hooks.proof(channel, body))


@pytest.mark.parametrize("channel", hooks.JSON_CHANNELS)
def test_genuine_json_delivery_over_http_is_stored_once(live_server: Any, channel: str) -> None:
    first = deliver(live_server, channel, hooks.GOOD[channel]())
    again = deliver(live_server, channel, hooks.GOOD[channel]())
    assert (first.status_code, again.status_code) == (200, 200), first.text
    assert Ticket.objects.count() == 1
    assert Message.objects.filter(direction="in").count() == 1


def test_mailgun_delivery_over_http_is_not_refused_for_want_of_a_csrf_cookie(live_server: Any) -> None:
    response = httpx.post(live_server.url + hooks.PATHS["mailgun"], timeout=30,
                          data=hooks.mailgun_form(mail(message_id="<mg-live@example.com>")),
                          headers={"Authorization": hooks.basic_auth()})
    assert response.status_code == 200, response.text
    assert response.json()["results"][0]["status"] == "created"
    assert Message.objects.filter(external_id="<mg-live@example.com>").count() == 1


def test_postmark_delivery_over_http_is_not_refused_for_want_of_a_csrf_cookie(live_server: Any) -> None:
    response = deliver(live_server, "postmark", hooks.postmark_event())
    assert response.status_code == 200, response.text
    assert response.json()["results"][0]["status"] == "created"


def test_mailgun_timestamp_older_than_the_replay_window_is_refused(live_server: Any) -> None:
    old = hooks.mailgun_form(mail(message_id="<mg-2001@example.com>"), timestamp=978307200)  # 2001
    response = httpx.post(live_server.url + hooks.PATHS["mailgun"], data=old, timeout=30,
                          headers={"Authorization": hooks.basic_auth()})
    assert response.status_code == 400
    assert Message.objects.count() == 0


def test_x_crc_answer_cannot_be_used_to_sign_a_forged_delivery(live_server: Any) -> None:
    forged = hooks.encode(hooks.x_event(text="official notice: send your seed phrase", dm_id="dm-forged"))
    oracle = httpx.get(live_server.url + "/webhooks/x/", params={"crc_token": forged.decode()}, timeout=30)
    assert oracle.status_code == 400 and "response_token" not in oracle.text
    # Whatever the challenge did answer cannot authenticate the body.
    token = oracle.json().get("response_token", "sha256=")
    response = post(live_server, "x", forged, {"X-Twitter-Webhooks-Signature": token})
    assert response.status_code == 403
    assert Message.objects.count() == 0


def test_x_crc_still_answers_token_shaped_challenges(live_server: Any) -> None:
    response = httpx.get(live_server.url + "/webhooks/x/",
                         params={"crc_token": "NDMyNjY3MDg5NzQxOTIwMjM0NTY="}, timeout=30)
    assert response.status_code == 200
    assert response.json()["response_token"].startswith("sha256=")


@pytest.mark.parametrize("channel", ["voice", "facebook", "x", "telegram"])
def test_non_ascii_signature_header_is_a_403_not_a_crash(live_server: Any, channel: str) -> None:
    header = next(iter(hooks.proof(channel, b"{}")))
    body = hooks.encode(hooks.GOOD[channel]())
    response = post(live_server, channel, body, {header: "sha256=签名".encode()})
    assert response.status_code == 403
    assert Message.objects.count() == 0


@pytest.mark.parametrize("char", ["\ud800", "\x00"], ids=["lone-surrogate", "nul"])
@pytest.mark.parametrize("channel", ["telegram", "voice", "facebook", "x", "postmark"])
def test_unstorable_text_in_a_signed_delivery_is_a_400_and_stores_nothing(
    live_server: Any, channel: str, char: str,
) -> None:
    body = json.dumps(hooks.GOOD[channel](f"help {char} me")).encode()  # ASCII, with a \\u escape
    assert b"\\u" in body
    response = post(live_server, channel, body, hooks.proof(channel, body))
    assert response.status_code == 400, response.text
    assert Message.objects.count() == 0


WRONG_SHAPES = [
    ("telegram", {"update_id": 1, "message": {"message_id": 1, "text": "hi", "chat": "x"}}),
    ("telegram", {"update_id": 1, "message": {"message_id": 1, "text": "hi", "chat": {"id": 1},
                                              "from": "x"}}),
    ("telegram", {"update_id": 1, "message": {"message_id": 1, "text": "hi", "chat": {"id": 1},
                                              "from": {"first_name": 5}}}),
    ("telegram", {"update_id": 1, "message": "x"}),
    ("facebook", {"object": "page", "entry": ["x"]}),
    ("facebook", {"object": "page", "entry": [{"messaging": [{"message": {"mid": "m", "text": 5}}]}]}),
    ("x", {"direct_message_events": ["x"]}),
    ("x", {"users": "str", "direct_message_events": []}),
    ("postmark", ["x"]),
    ("postmark", {**hooks.postmark_event(), "FromFull": 5}),
    ("postmark", {**hooks.postmark_event(), "Headers": "x"}),
]


@pytest.mark.parametrize(("channel", "data"), WRONG_SHAPES)
def test_signed_delivery_of_an_unexpected_shape_is_a_400_and_stores_nothing(
    live_server: Any, channel: str, data: Any,
) -> None:
    response = deliver(live_server, channel, data)
    assert response.status_code == 400, response.text
    assert Message.objects.count() == 0 and Ticket.objects.count() == 0


@pytest.mark.parametrize("channel", ["telegram", "facebook", "x", "voice", "postmark"])
def test_signed_json_nested_100000_deep_is_a_400(live_server: Any, channel: str) -> None:
    body = b'{"message": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    response = post(live_server, channel, body, hooks.proof(channel, body))
    assert response.status_code == 400
    assert Message.objects.count() == 0


def test_long_social_text_is_cut_by_the_pipeline_not_refused(live_server: Any) -> None:
    response = deliver(live_server, "telegram", hooks.telegram_update(text="锁" * 30_000))
    assert response.status_code == 200
    assert len(Message.objects.get(direction="in").body_text) == 20_000
