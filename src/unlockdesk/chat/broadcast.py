"""Live notices to chat sockets, sent only after the write has committed.

Messages themselves are not pushed from here: tickets.events.announce() already tells the
ticket's group after every append, and the sockets fetch what they have not shown. These are
the chat-only notices: the agents' live list, agent joined, typing, transferred, ended.
"""

import logging
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

log = logging.getLogger(__name__)

AGENTS_GROUP = "chat.agents"


def conversation_group(public_id: object) -> str:
    return f"chat.c.{str(public_id).replace('-', '')}"


def send_now(group: str, payload: dict[str, Any], *more: tuple[str, dict[str, Any]]) -> None:
    """Send to one or more groups in a single trip to the event loop."""
    layer = get_channel_layer()
    if layer is None:
        return

    async def send_all() -> None:
        for name, message in ((group, payload), *more):
            await layer.group_send(name, message)

    try:
        async_to_sync(send_all)()
    except Exception:  # the write has landed; clients recover on their next reconnect
        log.exception("could not notify %s", group)


def after_commit(group: str, payload: dict[str, Any]) -> None:
    transaction.on_commit(lambda: send_now(group, payload))


def queue_changed(item: dict[str, Any]) -> None:
    after_commit(AGENTS_GROUP, {"type": "chat.queue", "item": item})


def notice(public_id: object, frame: dict[str, Any], *, audience: str = "all") -> None:
    """audience: customer | agents | all."""
    after_commit(conversation_group(public_id),
                 {"type": "chat.notice", "audience": audience, "frame": frame})
