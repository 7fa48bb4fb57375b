"""Group commit for customers' chat messages, one writer per server process.

A message waits here while the sockets' database thread stores the batch before it; then the
next batch, everything that arrived meanwhile (at most UNLOCKDESK_CHAT_BATCH), is stored in one
transaction (services.send_many). At low load a batch is one message and nothing waits; under
load the commits and thread trips are shared. A sender is answered only when its batch has
committed, and one socket's messages are stored in the order sent (its consumer awaits each).
"""

import asyncio
import weakref

from django.conf import settings

from unlockdesk.chat import services
from unlockdesk.sockets import socket_database

Waiting = tuple[services.Post, "asyncio.Future[services.Posted]"]


class GroupCommit:
    def __init__(self, limit: int) -> None:
        self.limit = max(1, limit)
        self.waiting: list[Waiting] = []
        self.writer: asyncio.Task[None] | None = None

    async def send(self, post: services.Post) -> services.Posted:
        """Store `post` with whatever else is waiting; raises what send_to_agent raises."""
        future: asyncio.Future[services.Posted] = asyncio.get_running_loop().create_future()
        self.waiting.append((post, future))
        if self.writer is None or self.writer.done():
            self.writer = asyncio.create_task(self._write())
        return await future

    async def _write(self) -> None:
        batch: list[Waiting] = []
        try:
            while self.waiting:
                batch, self.waiting = self.waiting[: self.limit], self.waiting[self.limit :]
                results: list[services.Posted | Exception]
                try:
                    results = await socket_database(services.send_many)([post for post, _ in batch])
                    if len(results) != len(batch):
                        raise RuntimeError(f"{len(results)} answers for {len(batch)} messages")
                except Exception as exc:  # every sender in the batch gets it, and resends
                    results = [exc] * len(batch)
                for (_, future), result in zip(batch, results, strict=True):
                    if future.done():  # its socket went away: stored all the same
                        continue
                    if isinstance(result, Exception):
                        future.set_exception(result)
                    else:
                        future.set_result(result)
        finally:  # cancelled with the server: whoever still waits is not acknowledged
            for _, future in [*batch, *self.waiting]:
                if not future.done():
                    future.cancel()
            self.waiting = []


_writers: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, GroupCommit]" = (
    weakref.WeakKeyDictionary())


def group_commit() -> GroupCommit:
    """This server's writer (one per event loop, like the admission gate)."""
    loop = asyncio.get_running_loop()
    found = _writers.get(loop)
    if found is None:
        found = _writers[loop] = GroupCommit(settings.UNLOCKDESK_CHAT_BATCH)
    found.limit = max(1, settings.UNLOCKDESK_CHAT_BATCH)
    return found
