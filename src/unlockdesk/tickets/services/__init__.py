"""Writes on tickets: the pipeline's `receive()` and `reply()`, and the agent workflow."""

from unlockdesk.tickets.services.inbound import Receipt, receive
from unlockdesk.tickets.services.merging import MergeRefused, merge_contacts
from unlockdesk.tickets.services.notices import notify_customer
from unlockdesk.tickets.services.opening import NewTicket, open_ticket
from unlockdesk.tickets.services.outbound import deliver, reply
from unlockdesk.tickets.services.workflow import assign, change_status, move_to_queue, set_priority

__all__ = [
    "MergeRefused",
    "NewTicket",
    "Receipt",
    "assign",
    "change_status",
    "deliver",
    "merge_contacts",
    "move_to_queue",
    "notify_customer",
    "open_ticket",
    "receive",
    "reply",
    "set_priority",
]
