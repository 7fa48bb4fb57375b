"""What a long-running process loads as it starts, not while its first items wait.

The first mail a fresh intake process takes pays about 3 s on this machine: the URL
configuration (links in an acknowledgement), Pillow's image plugins (attachment checks),
the help-center indexes (the acknowledgement's suggestions), the ticket index's own jieba
dictionary, OpenCC's conversion tables and the Celery app's finalization. The mail
listener, the IMAP watcher and the task worker call `warm()` once before their first item,
and the web server through the ASGI lifespan protocol (`lifespan`: uvicorn accepts no
connection until it has run); one-shot commands do not, as they would pay the same cost
either way.

Apps add their own steps in `AppConfig.ready()` (`register`): this module is in the core
layer and imports none of them. A step that fails is logged and skipped: warming up is an
optimisation, and must never keep a process from starting.
"""

import gc
import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from asgiref.sync import sync_to_async
from django.urls import get_resolver
from PIL import Image

log = logging.getLogger(__name__)

_steps: list[Callable[[], None]] = []


def register(step: Callable[[], None]) -> None:
    """Add a step (idempotent: an app's ready() may run more than once in tests)."""
    if step not in _steps:
        _steps.append(step)


def warm() -> None:
    """Run every registered step, then load the URL configuration and Pillow's plugins.

    What is loaded by then lives as long as the process: it is moved out of the garbage
    collector's sight (gc.freeze). A full collection otherwise walked all of it again, jieba's
    dictionary included: 118 ms each time in the mail intake, a pause of every socket on a
    server's event loop."""
    for step in (lambda: get_resolver().url_patterns, Image.init, *_steps):
        try:
            step()
        except Exception:  # a failed step: see the module docstring
            log.warning("warm-up step %r failed; the first item will load it", step, exc_info=True)
    gc.collect()
    gc.freeze()


Message = MutableMapping[str, Any]


async def lifespan(scope: Message, receive: Callable[[], Awaitable[Message]],
                   send: Callable[[Message], Awaitable[None]]) -> None:
    """The ASGI lifespan app: warm() on startup, in the thread Django's sync code runs in (the
    database connection it opens is the one that thread goes on using)."""
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await sync_to_async(warm, thread_sensitive=True)()
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
