"""What every websocket consumer of the desk shares: dispatch without a database-thread hop.

Channels (4.2 and later) runs `close_old_connections` through `sync_to_async` before every
handler. With thread-sensitive sync code that is a trip to the one thread every database call
of the process runs on, for each frame a socket receives and each group event it is sent, and
it queues behind the stores: under load a message's announcement waited its turn at every
agent socket it was pushed to (measured with py-spy under bench/chat.py). Our handlers reach
the database only through `database_sync_to_async`, which closes stale connections itself,
on that thread, around each call; the handlers that only push frames need no database at all.
"""

from typing import Any

from channels.consumer import get_handler_name


class LeanDispatch:
    """Mix in before the Channels consumer class: handlers run without the per-event hop."""

    async def dispatch(self, message: dict[str, Any]) -> None:
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)
