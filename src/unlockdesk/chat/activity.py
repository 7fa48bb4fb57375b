"""The agents' live list hears of customer messages once per server process, not per socket.

Every customer message tells every agent's live list its conversation and newest number. Sent
to each agent socket's own channel, that was one channel-layer event per message per agent,
each read, decoded and dispatched by its socket: at 500 messages a second and ten agents on a
process, 5,000 events a second for one dict update each. Here one reader per process (per
event loop) is in ACTIVITY_GROUP and hands each notice to the process's agent sockets by a
plain call; each socket still gathers them into one frame per ACTIVITY_SECONDS of its own
(consumers.AgentConsumer.heard), so a slow socket holds up only itself.
"""

import asyncio
import logging
import weakref
from collections.abc import Coroutine
from typing import Any, Protocol

from channels.layers import get_channel_layer

from unlockdesk.chat.broadcast import ACTIVITY_GROUP

log = logging.getLogger(__name__)

# Group memberships expire (a day on the in-memory layer): the reader joins again this often.
REJOIN_SECONDS = 3600.0
RESTART_SECONDS = 1.0


class Listener(Protocol):
    def heard(self, conversation: str, seq: int) -> None: ...


class ActivityHub:
    """One reader of ACTIVITY_GROUP for this event loop's agent sockets."""

    def __init__(self, layer: Any) -> None:
        self.layer = layer
        self.listeners: set[Listener] = set()
        self.tasks: set[asyncio.Task[None]] = set()

    def join(self, listener: Listener) -> None:
        self.listeners.add(listener)
        if not self.tasks:  # the first listener starts the reader (again, if it failed)
            self._start(self._read())

    def leave(self, listener: Listener) -> None:
        self.listeners.discard(listener)

    def _start(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self.tasks.add(task)
        task.add_done_callback(self._ended)

    def _ended(self, task: "asyncio.Task[None]") -> None:
        self.tasks.discard(task)
        for other in list(self.tasks):  # reader and rejoiner go together
            other.cancel()
        if task.cancelled() or task.exception() is None:
            return
        log.error("the agents' activity reader stopped; starting again in %s s", RESTART_SECONDS,
                  exc_info=task.exception())
        asyncio.get_running_loop().call_later(RESTART_SECONDS, self._restart)

    def _restart(self) -> None:
        if self.listeners and not self.tasks:
            self._start(self._read())

    async def _read(self) -> None:
        channel = await self.layer.new_channel()
        await self.layer.group_add(ACTIVITY_GROUP, channel)
        self._start(self._rejoin(channel))
        while True:
            event = await self.layer.receive(channel)
            if event.get("type") != "chat.activity":
                continue
            conversation, seq = str(event["id"]), int(event["seq"])
            for listener in list(self.listeners):
                listener.heard(conversation, seq)

    async def _rejoin(self, channel: str) -> None:
        while True:
            await asyncio.sleep(REJOIN_SECONDS)
            await self.layer.group_add(ACTIVITY_GROUP, channel)


_hubs: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, ActivityHub]" = weakref.WeakKeyDictionary()


def hub() -> ActivityHub | None:
    """This server's hub (one per event loop and channel layer); None without a layer."""
    layer = get_channel_layer()
    if layer is None:
        return None
    loop = asyncio.get_running_loop()
    found = _hubs.get(loop)
    if found is None or found.layer is not layer:
        found = _hubs[loop] = ActivityHub(layer)
    return found
