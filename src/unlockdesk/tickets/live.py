"""Sending to channel-layer groups from synchronous code without holding up the caller.

A write committed in synchronous code hands its group messages to one sender task on an
event loop and returns at once: in a server, the server's loop (a database_sync_to_async
thread, or a sync view under ASGI), so the database thread goes on to the next write instead
of waiting for Redis; elsewhere (commands, the mail intake, Celery, WSGI) the process's one
long-lived sender loop (channel_layer.sender_loop), so the mail intake takes the next message
instead of waiting for the send, a thread hand-off per message. One task per loop sends in
the order messages were handed over, so a ticket's announcements keep their order; what is
still queued when the process exits is sent first (at most DRAIN_SECONDS).
Nothing here is the only path: sockets that miss a send catch up from the database.
"""

import asyncio
import atexit
import logging
import weakref
from collections.abc import Sequence
from functools import cache
from typing import Any

from channels.layers import get_channel_layer

from unlockdesk.channel_layer import sender_loop, server_loop

log = logging.getLogger(__name__)

Sends = Sequence[tuple[str, dict[str, Any]]]

_queues: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Queue[tuple[Any, Sends]]]" = (
    weakref.WeakKeyDictionary())
_tasks: set["asyncio.Task[None]"] = set()  # strong references: the loop keeps only weak ones


async def _send_all(layer: Any, sends: Sends) -> None:
    for group, payload in sends:
        await layer.group_send(group, payload)


async def _pump(queue: "asyncio.Queue[tuple[Any, Sends]]") -> None:
    while True:
        layer, sends = await queue.get()
        try:
            await _send_all(layer, sends)
        except Exception:  # the writes have landed; sockets recover from the database
            log.exception("could not send to %s", ", ".join(group for group, _ in sends))
        finally:
            queue.task_done()


def _enqueue(loop: asyncio.AbstractEventLoop, layer: Any, sends: Sends) -> None:
    """Runs on the loop itself (call_soon_threadsafe), so the queue needs no lock."""
    queue = _queues.get(loop)
    if queue is None:
        queue = _queues[loop] = asyncio.Queue()
        task = loop.create_task(_pump(queue))
        _tasks.add(task)
        task.add_done_callback(_tasks.discard)
    queue.put_nowait((layer, sends))


def send(sends: Sends) -> None:
    """Send each (group, payload) in order; never raises (the data is already stored)."""
    layer = get_channel_layer()
    if layer is None or not sends:
        return
    loop = server_loop()
    if loop is None:
        loop = sender_loop()
        _drain_at_exit()
    try:
        loop.call_soon_threadsafe(_enqueue, loop, layer, list(sends))
    except RuntimeError:  # the loop closed meanwhile (the process is ending)
        log.warning("could not send to %s: the sender loop has stopped",
                    ", ".join(group for group, _ in sends))


DRAIN_SECONDS = 5.0


@cache
def _drain_at_exit() -> None:
    atexit.register(drain)


def drain(timeout: float = DRAIN_SECONDS) -> None:
    """Wait until what this process's sender loop was handed has been sent (a command that
    stores and announces, then exits)."""
    loop = sender_loop()

    async def sent() -> None:  # runs after the hand-overs made before it (call_soon is FIFO)
        queue = _queues.get(loop)
        if queue is not None:
            await queue.join()

    try:
        asyncio.run_coroutine_threadsafe(sent(), loop).result(timeout)
    except Exception:  # late announcements are not worth hanging an exit for
        log.warning("announcements still unsent after %.0f s", timeout)
