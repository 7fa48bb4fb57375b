"""Hostile input on every provider webhook, over real HTTP against a live server: malformed
JSON, wrong types in every field, deep nesting, lone surrogates, oversized bodies, non-ASCII
headers. Never a 500, and a refused call (4xx) never leaves a stored row."""

import copy
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.intake import webhook_signing as hooks
from tests.intake.mailfactory import mail
from unlockdesk.intake.models import OutboxItem
from unlockdesk.tickets.models import Contact, Message, Ticket

pytestmark = pytest.mark.django_db(transaction=True)

ALL = tuple(hooks.PATHS)
WRONG_TYPES: list[Any] = [None, 10**30, True, "", ["x"], {"x": 1}]
MALFORMED: list[bytes] = [
    b"", b"not json", b"{", b"}", b"null", b"[]", b'"x"', b"5", b"\xff\xfe\x00", b"\xef\xbb\xbf[]",
    b'{"a": 1' + b"1" * 5000 + b"}", b'{"a": NaN}', b'{"a": "\x00"}', b"[" * 50 + b"]" * 50,
    b'{"\\ud800": 1}', b'{"x": "\\udfff\\ud800"}',
]


@pytest.fixture(autouse=True)
def _secrets(settings: Any) -> None:
    hooks.configure(settings)


def rows() -> tuple[int, ...]:
    return (Message.objects.count(), Ticket.objects.count(), Contact.objects.count(),
            OutboxItem.objects.count())


def send(live_server: Any, channel: str, body: bytes, headers: dict[str, Any] | None = None,
         *, signed: bool = True) -> httpx.Response:
    """POST `body`, signed as the provider would sign it (unless `signed` is false)."""
    proof = hooks.proof(channel, body) if signed and channel != "mailgun" else {}
    content_type = "application/x-www-form-urlencoded" if channel == "mailgun" else "application/json"
    return httpx.post(live_server.url + hooks.PATHS[channel], content=body, timeout=60,
                      headers={"Content-Type": content_type, **proof, **(headers or {})})


def refused_cleanly(response: httpx.Response, before: tuple[int, ...]) -> None:
    assert response.status_code < 500, response.text[:500]
    if response.status_code >= 400:
        assert rows() == before, f"a refused call ({response.status_code}) stored rows"


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every key path in a JSON document."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*prefix, key)
            yield from paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield (*prefix, index)
            yield from paths(item, (*prefix, index))


def replaced(document: Any, path: tuple[Any, ...], value: Any) -> Any:
    out = copy.deepcopy(document)
    target = out
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return out


@pytest.mark.parametrize("channel", hooks.JSON_CHANNELS)
def test_malformed_signed_bodies_are_refused_and_store_nothing(live_server: Any, channel: str) -> None:
    for body in MALFORMED:
        before = rows()
        response = send(live_server, channel, body)
        assert response.status_code in (400, 403), (body[:40], response.status_code, response.text[:300])
        assert rows() == before


@pytest.mark.parametrize("channel", hooks.JSON_CHANNELS)
def test_wrong_types_in_every_field_never_give_a_500(live_server: Any, channel: str) -> None:
    good = hooks.GOOD[channel]()
    for n, path in enumerate(paths(good)):
        for m, wrong in enumerate(WRONG_TYPES):
            document = replaced(good, path, wrong)
            # A fresh id per call, so an accepted call is a new message and a refused one is
            # seen to store nothing.
            body = hooks.encode(document).replace(b"m_1", f"m_{n}_{m}".encode()) \
                .replace(b"dm-9", f"dm-{n}-{m}".encode()).replace(b'"c1"', f'"c{n}-{m}"'.encode())
            before = rows()
            refused_cleanly(send(live_server, channel, body), before)


@pytest.mark.parametrize("channel", hooks.JSON_CHANNELS)
def test_long_text_in_every_field_never_gives_a_500(live_server: Any, channel: str) -> None:
    good = hooks.GOOD[channel]()
    for n, path in enumerate(paths(good)):
        body = hooks.encode(replaced(good, path, f"{n}-" + "长" * 3000))
        before = rows()
        refused_cleanly(send(live_server, channel, body), before)


@pytest.mark.parametrize("channel", hooks.JSON_CHANNELS)
def test_unsigned_hostile_bodies_are_refused_and_store_nothing(live_server: Any, channel: str) -> None:
    for body in [*MALFORMED, hooks.encode(hooks.GOOD[channel]())]:
        response = send(live_server, channel, body, signed=False)
        assert response.status_code in (400, 403)
    assert rows() == (0, 0, 0, 0)


@pytest.mark.parametrize("channel", ALL)
def test_oversized_body_is_refused_and_stores_nothing(live_server: Any, settings: Any, channel: str) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
    body = hooks.encode(hooks.GOOD.get(channel, hooks.telegram_update)("x" * 200_000))
    response = send(live_server, channel, body)
    assert 400 <= response.status_code < 500
    assert rows() == (0, 0, 0, 0)


NON_ASCII_HEADERS = [
    "X-Telegram-Bot-Api-Secret-Token", "X-Hub-Signature-256", "X-Twitter-Webhooks-Signature",
    "X-Unlockdesk-Signature", "Authorization", "Content-Type", "Content-Length-Extra", "Host-Name",
]


@pytest.mark.parametrize("channel", ALL)
def test_non_ascii_headers_never_give_a_500(live_server: Any, channel: str) -> None:
    body = hooks.encode(hooks.GOOD.get(channel, hooks.telegram_update)())
    values = ["签名".encode(), b"sha256=\xff\xfe", "Basic 密码".encode(), b"application/json; charset=\xe4"]
    for name in NON_ASCII_HEADERS:
        for value in values:
            before = rows()
            refused_cleanly(send(live_server, channel, body, {name: value}), before)


def test_mailgun_hostile_forms_are_refused_and_store_nothing(live_server: Any) -> None:
    good = hooks.mailgun_form(mail(message_id="<mg-hostile@example.com>"))
    hostile: list[dict[str, str]] = [
        {**good, "timestamp": "签"}, {**good, "timestamp": "9" * 40}, {**good, "timestamp": "-1"},
        {**good, "signature": "签名"}, {**good, "token": "令牌"}, {**good, "body-mime": "not mail"},
        {**good, "body-mime": ""}, {k: v for k, v in good.items() if k != "timestamp"},
        {k: v for k, v in good.items() if k != "body-mime"},
    ]
    for form in hostile:
        response = httpx.post(live_server.url + hooks.PATHS["mailgun"], data=form, timeout=60,
                              headers={"Authorization": hooks.basic_auth()})
        assert response.status_code < 500, (form.get("timestamp"), response.text[:300])
        if response.status_code == 200:
            assert all(r["status"] == "rejected" for r in response.json()["results"])
    raw = httpx.post(live_server.url + hooks.PATHS["mailgun"], timeout=60,
                     content=b"timestamp=%ff%fe&token=%ed%a0%80&signature=\xff",
                     headers={"Authorization": hooks.basic_auth(),
                              "Content-Type": "application/x-www-form-urlencoded; charset=no-such"})
    assert raw.status_code < 500
    assert rows() == (0, 0, 0, 0)


def test_x_and_facebook_handshakes_never_give_a_500(live_server: Any) -> None:
    for params in ({"crc_token": "\ud800"}, {"crc_token": "x" * 10_000}, {"crc_token": "{}"},
                   {"hub.mode": "subscribe", "hub.verify_token": "签", "hub.challenge": "<script>"}):
        for path in ("/webhooks/x/", "/webhooks/facebook/"):
            query = "&".join(f"{k}={json.dumps(v)[1:-1]}" for k, v in params.items())
            response = httpx.get(f"{live_server.url}{path}?{query}", timeout=30)
            assert response.status_code in (400, 403), (path, params, response.status_code)
