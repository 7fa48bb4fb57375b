"""Notices to one staff member's open consoles, over the channel layer, after commit.

Each agent's consoles listen on the group `staff.<agent id>`; a notice is
`{"type": "staff.notification", "kind": ..., "ticket": ..., "text": ...}`. A lost notice is not
lost work: what it announces is also on the ticket's timeline and in the audit log.
"""

import logging
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

log = logging.getLogger(__name__)


def staff_group(agent_id: int) -> str:
    return f"staff.{agent_id}"


def notify(agent_id: int, *, kind: str, ticket: str, text: str) -> None:
    """Push one notice to the agent's consoles once the caller's transaction commits."""
    payload: dict[str, Any] = {"type": "staff.notification", "kind": kind, "ticket": ticket,
                               "text": text}

    def send() -> None:
        layer = get_channel_layer()
        if layer is None:
            return
        try:
            async_to_sync(layer.group_send)(staff_group(agent_id), payload)
        except Exception:  # the change has landed and is on the timeline
            log.exception("could not notify agent %s of %s", agent_id, kind)

    transaction.on_commit(send)
