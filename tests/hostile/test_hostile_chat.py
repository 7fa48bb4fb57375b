"""Hostile frames on the chat sockets: each one gets an error frame (or is ignored), the socket
stays open, and nothing is stored that was not acknowledged."""

import json
from collections.abc import Iterator
from typing import Any

import pytest
from channels.layers import channel_layers

from tests.chat.conftest import MEMORY_LAYER, Socket, agent_cookie, cid, open_socket, visitor
from tests.factories import make_agent
from unlockdesk.tickets.models import Message

pytestmark = pytest.mark.django_db(transaction=True)

WRONG_TYPES: list[Any] = [None, 5, -1, 1.5, True, [], {}, ["x"], {"a": "b"}, "", "x" * 5000]
VISITOR_FRAMES: dict[str, dict[str, Any]] = {
    "ask": {"text": "why is my account locked"},
    "talk": {"text": "hello", "client_id": "client-0001"},
    "message": {"text": "hello", "client_id": "client-0002"},
    "typing": {},
    "identify": {"address": "li@example.com"},
    "verify": {"code": "123456"},
    "transcript": {},
}
AGENT_FRAMES: dict[str, dict[str, Any]] = {
    "open": {"conversation": "00000000-0000-0000-0000-000000000000", "last_seq": 0},
    "accept": {"conversation": "x"},
    "reply": {"conversation": "x", "text": "hi", "client_id": "c"},
    "note": {"conversation": "x", "text": "hi", "client_id": "c"},
    "typing": {"conversation": "x"},
    "transfer": {"conversation": "x", "agent": "A1", "queue": "q"},
    "list": {},
}


@pytest.fixture(autouse=True)
def _memory_layer(settings: Any) -> Iterator[None]:
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": MEMORY_LAYER}}
    settings.UNLOCKDESK_CHAT_RATE_PER_SECOND = 10_000
    settings.UNLOCKDESK_CHAT_BURST = 10_000
    channel_layers.backends = {}
    yield
    channel_layers.backends = {}


async def still_open(socket: Socket) -> None:
    """The socket answers a ping after whatever came before (a dropped socket cannot)."""
    await socket.send(type="ping")
    await socket.wait_for("pong")


def mutations(frames: dict[str, dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Each frame with each of its fields (and `type` itself) replaced by each wrong type."""
    for kind, fields in frames.items():
        for key in [*fields, "type"]:
            for wrong in WRONG_TYPES:
                yield {"type": kind, **fields, key: wrong}


def acked(socket: Socket) -> int:
    return sum(1 for frame in socket.frames if frame.get("type") == "ack")


async def test_lone_surrogate_frame_gets_an_error_frame_and_the_socket_lives() -> None:
    customer, _ = await visitor()
    await customer.send_raw('{"type": "talk", "text": "help \\ud800", "client_id": "' + cid() + '"}')
    assert (await customer.wait_for("error"))["code"] == "bad_request"
    await still_open(customer)
    assert Message.objects.count() == 0
    await customer.close()


async def test_nul_in_a_message_gets_an_error_frame_and_nothing_is_stored() -> None:
    customer, _ = await visitor()
    await customer.send_raw('{"type": "talk", "text": "help \\u0000", "client_id": "' + cid() + '"}')
    assert (await customer.wait_for("error"))["code"] == "bad_request"
    await still_open(customer)
    assert Message.objects.count() == 0
    await customer.close()


async def test_frame_nested_5000_deep_gets_an_error_frame_and_the_socket_lives() -> None:
    customer, _ = await visitor()
    await customer.send_raw('{"type": "talk", "text": ' + "[" * 5000 + "]" * 5000 + "}")
    assert (await customer.wait_for("error"))["code"] == "bad_request"
    await still_open(customer)
    assert Message.objects.count() == 0
    await customer.close()


@pytest.mark.parametrize("raw", [
    " ", "null", "[]", "5", '"talk"', "{", '{"type": null}', '{"type": ["talk"]}', '{"type": {}}',
    "\x00", '{"type": "ping"}' * 2, "\ufeff{}", '{"type": "talk", "text": "' + "\\u0000" * 10 + '"}',
])
async def test_malformed_visitor_frames_never_drop_the_socket(raw: str) -> None:
    customer, _ = await visitor()
    await customer.send_raw(raw)
    await still_open(customer)
    assert Message.objects.count() == acked(customer)
    await customer.close()


async def test_wrong_types_in_every_visitor_frame_field_never_drop_the_socket() -> None:
    customer, _ = await visitor()
    for frame in mutations(VISITOR_FRAMES):
        await customer.send_raw(json.dumps(frame))
        await still_open(customer)
    assert Message.objects.count() == acked(customer)
    await customer.close()


async def test_wrong_types_in_a_hello_never_drop_the_socket() -> None:
    hello = {"type": "hello", "token": "", "conversation": "", "last_seq": 0, "language": "en",
             "uid": "", "uid_hash": "", "ticket": ""}
    for key in hello:
        for wrong in WRONG_TYPES:
            connected, socket = await open_socket("/ws/chat/visitor/")
            assert connected
            await socket.send_raw(json.dumps({**hello, key: wrong}))
            frame = await socket.next()
            assert frame["type"] in ("welcome", "error"), (key, wrong, frame)
            if frame["type"] == "welcome":
                await still_open(socket)
            await socket.close()
    assert Message.objects.count() == 0


async def test_wrong_types_in_every_agent_frame_field_never_drop_the_socket() -> None:
    agent = make_agent()
    connected, socket = await open_socket("/ws/chat/agent/", cookie=agent_cookie(agent))
    assert connected
    await socket.wait_for("chats")
    for frame in mutations(AGENT_FRAMES):
        await socket.send_raw(json.dumps(frame))
        await still_open(socket)
    assert Message.objects.count() == 0
    await socket.close()
