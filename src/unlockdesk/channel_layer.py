"""The embedded default's channel layer: Channels' in-memory layer, made cheaper twice.

Channels sweeps every channel and every group for expired entries on each receive, so with a
few hundred chat sockets the sweep took over a third of the server's time (measured with
py-spy under bench/chat.py). Messages expire after a minute and group memberships after a
day: sweeping once a second keeps those limits and costs nothing measurable.

Its group send started one task per member and waited for them with as_completed, though a
send to an in-memory queue never waits: a fifth of the event loop's time at 150 chat
messages a second (py-spy). Sending to each member in turn delivers the same copies.
"""

import asyncio
import contextlib
import os
import threading
import time
from collections.abc import Callable, Coroutine, Sequence
from typing import Any, TypeVar

from asgiref.sync import SyncToAsync, async_to_sync
from channels.exceptions import ChannelFull
from channels.layers import InMemoryChannelLayer
from channels_redis.pubsub import RedisPubSubChannelLayer

T = TypeVar("T")

SWEEP_SECONDS = 1.0


class SweepingInMemoryChannelLayer(InMemoryChannelLayer):
    _last_sweep = 0.0

    def _clean_expired(self) -> None:
        now = time.monotonic()
        if now - self._last_sweep < SWEEP_SECONDS:
            return
        self._last_sweep = now
        super()._clean_expired()

    async def group_send(self, group: str, message: dict[str, Any]) -> None:
        if not isinstance(message, dict):
            raise TypeError("a channel-layer message is a dict")
        self.require_valid_group_name(group)
        self._clean_expired()
        for channel in list(self.groups.get(group, ())):
            # A copy each, as Channels does; a full queue is a socket that is not reading,
            # and it catches up from the database.
            with contextlib.suppress(ChannelFull):
                await self.send(channel, message)


# --- sending from synchronous code outside a server (perf) -----------------------------------

_loop: asyncio.AbstractEventLoop | None = None
_loop_pid = 0
_loop_lock = threading.Lock()


def _background_loop() -> asyncio.AbstractEventLoop:
    """This process's one sender loop, started on first use (and again after a fork)."""
    global _loop, _loop_pid
    with _loop_lock:
        if _loop is None or _loop_pid != os.getpid() or _loop.is_closed():
            loop = asyncio.new_event_loop()
            threading.Thread(target=loop.run_forever, name="channel-layer-sender", daemon=True).start()
            _loop, _loop_pid = loop, os.getpid()
        return _loop


def server_loop() -> asyncio.AbstractEventLoop | None:
    """The running event loop this thread works for (a sync view or database_sync_to_async
    thread of an ASGI server), where asgiref's async_to_sync runs coroutines already."""
    loop = getattr(SyncToAsync.threadlocal, "main_event_loop", None)
    if loop is None or getattr(SyncToAsync.threadlocal, "main_event_loop_pid", None) != os.getpid():
        return None
    return loop if loop.is_running() and not loop.is_closed() else None


def run_from_sync(make: Callable[[], Coroutine[Any, Any, T]], *, timeout: float = 10.0) -> T:
    """Run `make()` to completion from synchronous code and return its result.

    In a server's worker thread this is asgiref's async_to_sync (the server's loop). Elsewhere
    (commands, the SMTP and IMAP intake, Celery workers) async_to_sync starts a new thread and
    a new event loop on every call, and the Redis layer a new connection with it: a few
    milliseconds of CPU and a thread hand-off per announcement, measured as a seventh of
    email ingest. Here one long-lived loop thread serves them all, in order.
    """
    if server_loop() is not None:
        async def run() -> T:
            return await make()

        return async_to_sync(run)()
    return asyncio.run_coroutine_threadsafe(make(), _background_loop()).result(timeout)


# --- several group sends at once (perf) -------------------------------------------------------

async def group_send_many(layer: Any, sends: Sequence[tuple[str, dict[str, Any]]]) -> None:
    """Each (group, message) in order, as group_send would send them one by one.

    Through Channels' Redis pub/sub layer a group send is one PUBLISH that waits for its reply
    before the next is written: one round trip and one socket write each, a quarter of a chat
    server's event loop at 500 messages a second (py-spy). Here the PUBLISHes for one Redis
    server go in one pipeline: one write and one round trip. Order is kept per server, so per
    group. Any other layer gets its group sends in turn.
    """
    if not isinstance(layer, RedisPubSubChannelLayer) or len(sends) < 2:
        for group, message in sends:
            await layer.group_send(group, message)
        return
    loop_layer = layer._get_layer()
    by_shard: dict[Any, list[tuple[str, bytes]]] = {}
    for group, message in sends:
        channel = loop_layer._get_group_channel_name(group)
        by_shard.setdefault(loop_layer._get_shard(channel), []).append(
            (channel, layer.serialize(message)))
    for shard, items in by_shard.items():
        async with shard._lock:  # the lock its own publish() takes
            shard._ensure_redis()
            pipe = shard._redis.pipeline(transaction=False)
            for channel, data in items:
                pipe.publish(channel, data)
            await pipe.execute()
