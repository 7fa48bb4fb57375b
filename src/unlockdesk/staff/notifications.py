"""Live notices to one agent's open consoles (toasts), sent after the write commits.

The frame contract other parts use: group_send to `staff.<agent_id>` with
{"type": "staff.notification", "kind": "...", "title": "<words>", "body": "<words>", "url": "..."};
the console socket (unlockdesk.web.consumers) shows it as a toast.
"""

import logging
from functools import partial

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

log = logging.getLogger(__name__)


def staff_group(agent_id: int) -> str:
    return f"staff.{agent_id}"


def notify(agent_id: int, *, kind: str, title: str, body: str = "", url: str = "") -> None:
    """Show a toast in every console the agent has open, once the caller's write commits.
    Best effort: a console that is closed misses it (the timeline and inbox still show it)."""
    frame = {"type": "staff.notification", "kind": kind, "title": title, "body": body, "url": url}
    transaction.on_commit(partial(_send, staff_group(agent_id), frame))


def _send(group: str, frame: dict[str, str]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, frame)
    except Exception:  # the write has landed; a missed toast is not worth failing it
        log.exception("could not notify %s", group)
