"""What every websocket consumer of the desk shares: dispatch without a database-thread hop.

Channels (4.2 and later) runs `close_old_connections` through `sync_to_async` before every
handler. With thread-sensitive sync code that is a trip to the one thread every database call
of the process runs on, for each frame a socket receives and each group event it is sent, and
it queues behind the stores: under load a message's announcement waited its turn at every
agent socket it was pushed to (measured with py-spy under bench/chat.py). Our handlers reach
the database only through `socket_database` (below), which closes stale connections itself,
on that thread, around each call; the handlers that only push frames need no database at all.
"""

import time
from typing import Any, ParamSpec, TypeVar

from asgiref.sync import SyncToAsync
from channels.consumer import get_handler_name
from django.db import close_old_connections, connections

_P = ParamSpec("_P")
_R = TypeVar("_R")
# How long the sockets' database thread keeps an idle connection.
KEEP_CONNECTION_SECONDS = 60.0


class LeanDispatch:
    """Mix in before the Channels consumer class: handlers run without the per-event hop."""

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
