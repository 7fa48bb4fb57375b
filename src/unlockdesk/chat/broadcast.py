"""Live notices to chat sockets, sent only after the write has committed.

Messages themselves are not pushed from here: tickets.events.announce() tells the ticket's
group after every append and carries the messages' frames (chat.frames.live_frames, registered
in tickets.hooks). These are the chat-only notices: the agents' live list, agent joined,
typing, transferred, ended.
"""

from typing import Any

from django.db import transaction

from unlockdesk.tickets import live

AGENTS_GROUP = "chat.agents"
# Customers' new messages for the agents' live lists: one reader per process (chat.activity).
ACTIVITY_GROUP = "chat.activity"


def conversation_group(public_id: object) -> str:
    return f"chat.c.{str(public_id).replace('-', '')}"


def send_now(group: str, payload: dict[str, Any], *more: tuple[str, dict[str, Any]]) -> None:
    """Send to one or more groups, in order, without making the caller wait (tickets.live)."""
    live.send([(group, payload), *more])


def after_commit(group: str, payload: dict[str, Any]) -> None:
    transaction.on_commit(lambda: send_now(group, payload))


def activity(public_id: object, seq: int) -> None:
    """A customer's message `seq` on the conversation, for every agent's live list."""
    after_commit(ACTIVITY_GROUP, {"type": "chat.activity", "id": str(public_id), "seq": seq})


def queue_changed(item: dict[str, Any]) -> None:
    after_commit(AGENTS_GROUP, {"type": "chat.queue", "item": item})


def notice(public_id: object, frame: dict[str, Any], *, audience: str = "all") -> None:
    """audience: customer | agents | all."""
    after_commit(conversation_group(public_id),
                 {"type": "chat.notice", "audience": audience, "frame": frame})
