"""dispatch_in_turn: the consumers' event loop, in place of Channels' await_many_dispatch;
auth_stack: the websocket routes' cookies, session and user."""

import asyncio
from typing import Any

import pytest
from channels.exceptions import StopConsumer

from tests.chat.conftest import agent_cookie
from tests.factories import make_agent
from unlockdesk.sockets import auth_stack, dispatch_in_turn


class Source:
    """An event source like a socket's receive(): counts how often it was read."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.queue: asyncio.Queue[dict[str, Any] | BaseException] = asyncio.Queue()
        self.reads = 0
        self.cancelled = False

    async def __call__(self) -> dict[str, Any]:
        try:
            item = await self.queue.get()
        except asyncio.CancelledError:
            self.cancelled = True
            raise
        self.reads += 1
        if isinstance(item, BaseException):
            raise item
        return item

    def give(self, *items: dict[str, Any] | BaseException) -> None:
        for item in items:
            self.queue.put_nowait(item)


def _event(source: str, n: int) -> dict[str, Any]:
    return {"type": "x", "source": source, "n": n}


async def _settle() -> None:
    for _ in range(20):
        await asyncio.sleep(0)


def test_every_event_is_dispatched_in_its_sources_order_one_at_a_time() -> None:
    async def scenario() -> None:
        socket, layer = Source("socket"), Source("layer")
        seen: list[tuple[str, int]] = []
        busy = False

        async def dispatch(event: dict[str, Any]) -> None:
            nonlocal busy
            assert not busy, "two events dispatched at once"
            busy = True
            await asyncio.sleep(0)  # a handler that awaits (a send) lets the loop run meanwhile
            seen.append((event["source"], event["n"]))
            busy = False
            if len(seen) == 8:
                raise StopConsumer

        socket.give(*[_event("socket", n) for n in range(4)])
        layer.give(*[_event("layer", n) for n in range(4)])
        with pytest.raises(StopConsumer):
            await dispatch_in_turn([socket, layer], dispatch)
        assert [n for s, n in seen if s == "socket"] == [0, 1, 2, 3]
        assert [n for s, n in seen if s == "layer"] == [0, 1, 2, 3]
        assert socket.cancelled and layer.cancelled  # no reader outlives the consumer

    asyncio.run(scenario())


def test_a_flooding_source_is_not_read_ahead_while_a_handler_works() -> None:
    async def scenario() -> None:
        socket = Source("socket")
        release = asyncio.Event()
        started = asyncio.Event()

        async def dispatch(event: dict[str, Any]) -> None:
            started.set()
            await release.wait()

        socket.give(*[_event("socket", n) for n in range(100)])
        task = asyncio.ensure_future(dispatch_in_turn([socket], dispatch))
        await started.wait()
        await _settle()
        # One event in the handler, one waiting to be handed over, one read and held by the
        # reader until there is room: the other 97 stay with the server.
        assert socket.reads <= 3
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        read = socket.reads
        await _settle()
        assert socket.reads == read  # its reader went with it

    asyncio.run(scenario())


def test_a_sources_error_is_raised_after_the_events_it_gave_before_it() -> None:
    async def scenario() -> None:
        socket, layer = Source("socket"), Source("layer")
        seen: list[int] = []

        async def dispatch(event: dict[str, Any]) -> None:
            seen.append(event["n"])

        socket.give(_event("socket", 1), _event("socket", 2), ConnectionResetError("gone"))
        with pytest.raises(ConnectionResetError):
            await dispatch_in_turn([socket, layer], dispatch)
        assert seen == [1, 2]
        assert layer.cancelled

    asyncio.run(scenario())


def test_a_handlers_error_ends_the_loop_and_stops_the_readers() -> None:
    async def scenario() -> None:
        socket, layer = Source("socket"), Source("layer")

        async def dispatch(event: dict[str, Any]) -> None:
            raise ValueError("no handler")

        socket.give(_event("socket", 1))
        with pytest.raises(ValueError, match="no handler"):
            await dispatch_in_turn([socket, layer], dispatch)
        assert socket.cancelled and layer.cancelled

    asyncio.run(scenario())


@pytest.mark.django_db(transaction=True)
async def test_auth_stack_reads_session_and_user_at_connect_and_sends_straight_to_the_server() -> None:
    agent = make_agent()
    seen: dict[str, Any] = {}

    async def route(scope: dict[str, Any], receive: Any, send: Any) -> None:
        seen.update(scope=scope, send=send)

    async def receive() -> dict[str, Any]:
        return {"type": "websocket.connect"}

    async def send(message: dict[str, Any]) -> None:
        raise AssertionError("nothing is sent")

    scope = {"type": "websocket", "path": "/ws/chat/agent/",
             "headers": [(b"cookie", agent_cookie(agent).encode())]}
    await auth_stack(route)(scope, receive, send)
    assert seen["scope"]["user"].pk == agent.pk
    assert seen["scope"]["session"].session_key
    # Channels' own stack wrapped `send` to inspect the session on every frame; ours does not.
    assert seen["send"] is send
