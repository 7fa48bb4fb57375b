"""Sending to channel-layer groups from synchronous code without holding up the caller.

A write committed in a worker thread (database_sync_to_async, or a sync view under ASGI) hands
its group messages to one sender task on the server's event loop and returns at once: the
database thread goes on to the next write instead of waiting for Redis. One task per loop
sends in the order messages were handed over, so a ticket's announcements keep their order.
Outside a server (commands, the mail intake, Celery, WSGI) it is sent, in place, through the
process's one long-lived sender loop (channel_layer.run_from_sync). On the in-memory layer,
which reaches only this process's sockets, groups none of them is in are skipped at once.
Nothing here is the only path: sockets that miss a send catch up from the database.
"""

import asyncio
import logging
import weakref
from collections.abc import Sequence
from typing import Any

from channels.layers import InMemoryChannelLayer, get_channel_layer

from unlockdesk.channel_layer import group_send_many, run_from_sync, server_loop

log = logging.getLogger(__name__)

Sends = Sequence[tuple[str, dict[str, Any]]]
MOST_AT_ONCE = 64

_queues: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Queue[Sends]]" = (
    weakref.WeakKeyDictionary())
_tasks: set["asyncio.Task[None]"] = set()  # strong references: the loop keeps only weak ones


async def _pump(queue: "asyncio.Queue[Sends]") -> None:
    """Sends what was handed over, in order; what queued up during a send goes out together
    (one Redis round trip for all of it, at most MOST_AT_ONCE announcements)."""
    layer = get_channel_layer()
    while True:
        sends = list(await queue.get())
        for _ in range(MOST_AT_ONCE - 1):
            if queue.empty():
                break
            sends += queue.get_nowait()
        try:
            await group_send_many(layer, sends)
        except Exception:  # the writes have landed; sockets recover from the database
            log.exception("could not send to %s", _groups(sends))


def _groups(sends: Sends) -> str:
    """The groups of a failed send, each once, for its log line."""
    return ", ".join(sorted({group for group, _ in sends}))


def _enqueue(loop: asyncio.AbstractEventLoop, sends: Sends) -> None:
    """Runs on the loop itself (call_soon_threadsafe), so the queue needs no lock."""
    queue = _queues.get(loop)
    if queue is None:
        queue = _queues[loop] = asyncio.Queue()
        task = loop.create_task(_pump(queue))
        _tasks.add(task)
        task.add_done_callback(_tasks.discard)
    queue.put_nowait(sends)


def send(sends: Sends) -> None:
    """Send each (group, payload) in order; never raises (the data is already stored)."""
    layer = get_channel_layer()
    if layer is None or not sends:
        return
    if isinstance(layer, InMemoryChannelLayer) and not any(layer.groups.get(group) for group, _ in sends):
        # The in-memory layer reaches only this process's sockets, and none is in these groups
        # (the embedded default's mail intake, commands and task worker have none): the hop to
        # a loop and back cost 140 us per announcement for nothing.
        return
    loop = server_loop()
    if loop is not None:
        try:
            loop.call_soon_threadsafe(_enqueue, loop, list(sends))
            return
        except RuntimeError:  # the loop closed meanwhile: send in place
            pass
    try:  # one long-lived sender loop per process, not a new thread and loop per call
        run_from_sync(lambda: group_send_many(layer, sends))
    except Exception:
        log.exception("could not send to %s", _groups(sends))
