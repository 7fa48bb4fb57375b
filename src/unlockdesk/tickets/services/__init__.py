"""Writes on tickets: the pipeline's `receive()` and `reply()`, and the agent workflow."""

from unlockdesk.tickets.services.inbound import Receipt, receive
from unlockdesk.tickets.services.merging import MergeRefused, merge_contacts
from unlockdesk.tickets.services.notices import notify_customer
from unlockdesk.tickets.services.outbound import deliver, mark_undelivered, reply
from unlockdesk.tickets.services.workflow import assign, change_status, move_to_queue, set_priority

__all__ = [
    "MergeRefused",
    "Receipt",
    "assign",
    "change_status",
    "deliver",
    "mark_undelivered",
    "merge_contacts",
    "move_to_queue",
    "notify_customer",
    "receive",
    "reply",
    "set_priority",
]
