"""What every websocket consumer of the desk shares: dispatch without a database-thread hop,
without a task per event (dispatch_in_turn), and a session read once at connect (auth_stack).

Channels (4.2 and later) runs `close_old_connections` through `sync_to_async` before every
handler. With thread-sensitive sync code that is a trip to the one thread every database call
of the process runs on, for each frame a socket receives and each group event it is sent, and
it queues behind the stores: under load a message's announcement waited its turn at every
agent socket it was pushed to (measured with py-spy under bench/chat.py). Our handlers reach
the database only through `socket_database` (below), which closes stale connections itself,
on that thread, around each call; the handlers that only push frames need no database at all.
"""

import asyncio
import contextlib
import functools
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, ParamSpec, TypeVar

from asgiref.sync import SyncToAsync
from channels.auth import AuthMiddleware
from channels.consumer import get_handler_name
from channels.exceptions import StopConsumer
from channels.layers import get_channel_layer
from channels.sessions import CookieMiddleware, InstanceSessionWrapper, SessionMiddleware
from django.db import close_old_connections, connections

_P = ParamSpec("_P")
_R = TypeVar("_R")
# How long the sockets' database thread keeps an idle connection.
KEEP_CONNECTION_SECONDS = 60.0


class SessionAtConnect(SessionMiddleware):
    """Channels' SessionMiddleware, with the socket's frames sent straight to the server.

    Channels wraps `send` so that a changed session is saved and its cookie set on an HTTP
    response. A socket sends no HTTP response, and none of our socket handlers writes the
    session, yet the wrapper looked into the session for every frame sent: 2-3% of a chat
    server's event loop at 500 msg/s (py-spy, bench/chat.py).
    """

    async def __call__(self, scope: dict[str, Any], receive: Callable[..., Any],
                       send: Callable[..., Any]) -> Any:
        wrapper = InstanceSessionWrapper(scope, send)
        await wrapper.resolve_session()
        return await self.inner(wrapper.scope, receive, send)


def auth_stack(inner: Any) -> Any:
    """Channels' AuthMiddlewareStack (cookies, session, user) for the websocket routes."""
    return CookieMiddleware(SessionAtConnect(AuthMiddleware(inner)))


Source = Callable[[], Awaitable[dict[str, Any]]]
Handle = Callable[[dict[str, Any]], Awaitable[None]]


async def dispatch_in_turn(sources: Sequence[Source], dispatch: Handle) -> None:
    """Pass each event of `sources` (the socket, the channel layer) to `dispatch`, one at a time.

    Channels' await_many_dispatch does the same with a new task and an asyncio.wait over every
    source for each event: with 20 agents each pushed every chat message, a fifth of a chat
    server's event loop (py-spy, bench/chat.py, 300 msg/s). Here one long-lived reader per
    source hands events over through a queue of one: a reader takes the next event only once
    the last one is handed over, so a flooding client is not read ahead into memory.
    A source's error is raised here, after the events it gave before it.
    """
    inbox: asyncio.Queue[tuple[dict[str, Any], BaseException | None]] = asyncio.Queue(maxsize=1)

    async def read(source: Source) -> None:
        while True:
            try:
                event = await source()
            except asyncio.CancelledError:
                raise
            except BaseException as error:  # handed to the dispatcher, raised there
                await inbox.put(({}, error))
                return
            await inbox.put((event, None))

    readers = [asyncio.ensure_future(read(source)) for source in sources]
    try:
        while True:
            event, error = await inbox.get()
            if error is not None:
                raise error
            await dispatch(event)
    finally:
        for reader in readers:
            reader.cancel()
        for reader in readers:
            with contextlib.suppress(asyncio.CancelledError):
                await reader


class LeanDispatch:
    """Mix in before the Channels consumer class: handlers run without the per-event hop, and
    events reach them without a task and a wait each (dispatch_in_turn)."""

    channel_layer_alias: str
    scope: dict[str, Any]
    channel_layer: Any
    channel_name: str
    channel_receive: Source
    base_send: Handle

    async def __call__(self, scope: dict[str, Any], receive: Source, send: Handle) -> None:
        """Channels' AsyncConsumer.__call__ (4.3), with dispatch_in_turn as its loop."""
        self.scope = scope
        self.channel_layer = get_channel_layer(self.channel_layer_alias)
        sources = [receive]
        if self.channel_layer is not None:
            self.channel_name = await self.channel_layer.new_channel()
            self.channel_receive = functools.partial(self.channel_layer.receive, self.channel_name)
            sources.append(self.channel_receive)
        self.base_send = send
        with contextlib.suppress(StopConsumer):
            await dispatch_in_turn(sources, self.dispatch)

    async def dispatch(self, message: dict[str, Any]) -> None:
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)


class SocketDatabase(SyncToAsync[_P, _R]):
    """`database_sync_to_async` for the sockets: their one database thread keeps its connection
    between calls, while a connection that failed or was left in a transaction is still closed
    around each call (close_old_connections, as Channels does), and one idle for
    KEEP_CONNECTION_SECONDS is replaced at the next call.

    With UNLOCKDESK_DB_CONN_MAX_AGE at 0 (the default: under ASGI every HTTP request runs in a
    thread of its own, and persistent connections would leak one per request) every chat
    message logged in to PostgreSQL again: bench/chat.py, one process, 80 msg/s offered, stored
    54 per second at p50 497 ms, against 80 at 34 ms with the connection kept. The sockets'
    thread lives as long as the process, so keeping its connection leaks nothing.
    """

    def thread_handler(self, loop: Any, *args: Any, **kwargs: Any) -> Any:
        close_old_connections()
        try:
            return super().thread_handler(loop, *args, **kwargs)
        finally:
            keep_until = time.monotonic() + KEEP_CONNECTION_SECONDS
            for conn in connections.all(initialized_only=True):
                if conn.connection is not None and conn.close_at is not None:
                    conn.close_at = max(conn.close_at, keep_until)
            close_old_connections()


socket_database = SocketDatabase
