"""Hearing what the desk pushes to a channel-layer group, as a socket in a server process would.

The Redis layer of the scaled deployment (pub/sub) keeps its channels per event loop, as a
server process has one: joining the group, doing the work and hearing the frame must share a
loop. Separate `async_to_sync` calls each run in a loop of their own, so the listener here
runs in one, with the work in between on the test's own thread (and database connection).
"""

import asyncio
from collections.abc import Callable
from typing import Any

from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import get_channel_layer


def first_frame(group: str, work: Callable[[], object], *, timeout: float = 10) -> dict[str, Any]:
    """The first frame `group` hears once `work` (run on this thread) has returned."""
    layer = get_channel_layer()
    assert layer is not None

    async def listen() -> dict[str, Any]:
        channel = await layer.new_channel()
        await layer.group_add(group, channel)
        try:
            await sync_to_async(work)()  # thread-sensitive: this test's thread
            frame: dict[str, Any] = await asyncio.wait_for(layer.receive(channel), timeout)
            return frame
        finally:
            await layer.group_discard(group, channel)

    return async_to_sync(listen)()
