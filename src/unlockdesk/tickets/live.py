"""Sending to channel-layer groups from synchronous code without holding up the caller.

A write committed in a worker thread (database_sync_to_async, or a sync view under ASGI) hands
its group messages to one sender task on the server's event loop and returns at once: the
database thread goes on to the next write instead of waiting for Redis. One task per loop
sends in the order messages were handed over, so a ticket's announcements keep their order.
Outside a server (commands, tests without a loop, WSGI) the send happens in place, as before.
Nothing here is the only path: sockets that miss a send catch up from the database.
"""

import asyncio
import logging
import os
import weakref
from collections.abc import Sequence
from typing import Any

from asgiref.sync import SyncToAsync, async_to_sync
from channels.layers import get_channel_layer

log = logging.getLogger(__name__)

Sends = Sequence[tuple[str, dict[str, Any]]]

_queues: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Queue[Sends]]" = (
    weakref.WeakKeyDictionary())
_tasks: set["asyncio.Task[None]"] = set()  # strong references: the loop keeps only weak ones


async def _send_all(layer: Any, sends: Sends) -> None:
    for group, payload in sends:
        await layer.group_send(group, payload)


async def _pump(queue: "asyncio.Queue[Sends]") -> None:
    layer = get_channel_layer()
    while True:
        sends = await queue.get()
        try:
            await _send_all(layer, sends)
        except Exception:  # the writes have landed; sockets recover from the database
            log.exception("could not send to %s", ", ".join(group for group, _ in sends))


def _enqueue(loop: asyncio.AbstractEventLoop, sends: Sends) -> None:
    """Runs on the loop itself (call_soon_threadsafe), so the queue needs no lock."""
    queue = _queues.get(loop)
    if queue is None:
        queue = _queues[loop] = asyncio.Queue()
        task = loop.create_task(_pump(queue))
        _tasks.add(task)
        task.add_done_callback(_tasks.discard)
    queue.put_nowait(sends)


def _server_loop() -> asyncio.AbstractEventLoop | None:
    """The event loop this worker thread serves, when it is a SyncToAsync thread of this process."""
    local = SyncToAsync.threadlocal
    loop = getattr(local, "main_event_loop", None)
    if loop is None or getattr(local, "main_event_loop_pid", None) != os.getpid():
        return None
    return loop if loop.is_running() and not loop.is_closed() else None


def send(sends: Sends) -> None:
    """Send each (group, payload) in order; never raises (the data is already stored)."""
    layer = get_channel_layer()
    if layer is None or not sends:
        return
    loop = _server_loop()
    if loop is not None:
        try:
            loop.call_soon_threadsafe(_enqueue, loop, list(sends))
            return
        except RuntimeError:  # the loop closed meanwhile: send in place
            pass
    try:
        async_to_sync(_send_all)(layer, sends)
    except Exception:
        log.exception("could not send to %s", ", ".join(group for group, _ in sends))
