"""The pipeline's hottest path, a customer writing again in an open chat, in a fixed and small
number of queries (an incident day is thousands of these a minute)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import receive_one
from unlockdesk.tickets.models import Message, Ticket
from unlockdesk.tickets.types import Channel, IdentityKind

pytestmark = pytest.mark.django_db


def test_a_follow_up_in_an_open_chat_costs_eight_statements_or_so() -> None:
    sender = {"channel": Channel.CHAT, "kind": IdentityKind.CHAT_VISITOR, "sender": "visitor-77"}
    first = receive_one(text="提币三天没到账", **sender)
    receive_one(text="还在吗", **sender)
    touched = Ticket.objects.get(number=first.ticket_number).updated_at
    with CaptureQueriesContext(connection) as queries:
        receipt = receive_one(text="请帮我看看", **sender)
    assert receipt.ticket_number == first.ticket_number and receipt.status == "appended"
    statements = [q["sql"] for q in queries.captured_queries]
    # Savepoint and release (the test's transaction), contact, thread, [PostgreSQL: the row
    # FOR UPDATE], ticket row, message, search, timeline: no read for duplicates first, and
    # none of the SLA clocks (the row shows they all run).
    assert len(statements) <= (9 if connection.vendor == "postgresql" else 8), statements
    assert not any("tickets_slatarget" in sql for sql in statements)
    ticket = Ticket.objects.get(number=first.ticket_number)
    assert ticket.last_seq == Message.objects.filter(ticket=ticket).count()
    assert ticket.updated_at > touched  # saved with the sequence number, in one UPDATE
