"""Writes on tickets: the pipeline's `receive()` and `reply()`, and the agent workflow."""

from unlockdesk.tickets.services.auto_messages import notify_customer
from unlockdesk.tickets.services.bounces import BounceOutcome, record_bounce
from unlockdesk.tickets.services.calls import (
    CallRefused,
    complete_placed_call,
    log_provider_call,
    queue_callback,
)
from unlockdesk.tickets.services.cases import open_case
from unlockdesk.tickets.services.inbound import Receipt, receive
from unlockdesk.tickets.services.merging import MergeRefused, merge_contacts
from unlockdesk.tickets.services.opening import NewTicket, open_ticket
from unlockdesk.tickets.services.outbound import deliver, mark_undelivered, reply
from unlockdesk.tickets.services.ticket_merge import TicketMergeRefused, merge_tickets, split_message
from unlockdesk.tickets.services.workflow import (
    assign,
    change_status,
    move_to_queue,
    set_priority,
    set_tags,
)

__all__ = [
    "BounceOutcome",
    "CallRefused",
    "MergeRefused",
    "NewTicket",
    "Receipt",
    "TicketMergeRefused",
    "assign",
    "change_status",
    "complete_placed_call",
    "deliver",
    "log_provider_call",
    "mark_undelivered",
    "merge_contacts",
    "merge_tickets",
    "move_to_queue",
    "notify_customer",
    "open_case",
    "open_ticket",
    "queue_callback",
    "receive",
    "record_bounce",
    "reply",
    "set_priority",
    "set_tags",
    "split_message",
]
