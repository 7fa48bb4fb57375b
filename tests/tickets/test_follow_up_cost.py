"""The pipeline's hottest path, a customer writing again in an open chat, in a fixed and small
number of queries (an incident day is thousands of these a minute)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import receive_one
from unlockdesk.tickets.models import Message, SlaTarget, SlaTargetKind, Ticket
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
    # Savepoint and release (the test's transaction), contact, thread, ticket row, message,
    # search, timeline: no read for duplicates first, and none of the SLA clocks (the row
    # shows they all run). The thread is read once: on PostgreSQL FOR UPDATE, as it is found.
    assert len(statements) <= 8, statements
    ticket_reads = [sql for sql in statements
                    if sql.startswith("SELECT") and 'FROM "tickets_ticket"' in sql]
    assert len(ticket_reads) == 1, ticket_reads
    assert ("FOR UPDATE" in ticket_reads[0]) == (connection.vendor == "postgresql")
    assert not any("tickets_slatarget" in sql for sql in statements)
    ticket = Ticket.objects.get(number=first.ticket_number)
    assert ticket.last_seq == Message.objects.filter(ticket=ticket).count()
    assert ticket.updated_at > touched  # saved with the sequence number, in one UPDATE


def test_opening_a_ticket_writes_both_clocks_at_once_and_their_due_times_with_the_first_message() -> None:
    sender = {"channel": Channel.CHAT, "kind": IdentityKind.CHAT_VISITOR, "sender": "visitor-78"}
    with CaptureQueriesContext(connection) as queries:
        receipt = receive_one(text="账户被锁，无法登录", **sender)
    assert receipt.status == "created"
    clock_statements = [q["sql"] for q in queries.captured_queries if "tickets_slatarget" in q["sql"]]
    assert len(clock_statements) == 1 and clock_statements[0].startswith("INSERT"), clock_statements
    ticket_updates = [q["sql"] for q in queries.captured_queries
                      if q["sql"].startswith('UPDATE "tickets_ticket"')]
    # The first message's write carries the due times; the acknowledgement's takes only its
    # sequence number.
    assert "first_response_due" in ticket_updates[0], ticket_updates
    assert not any("_due" in sql for sql in ticket_updates[1:]), ticket_updates
    ticket = Ticket.objects.get(pk=receipt.ticket_id)
    clocks = {clock.kind: clock for clock in SlaTarget.objects.filter(ticket=ticket)}
    assert set(clocks) == {SlaTargetKind.FIRST_RESPONSE, SlaTargetKind.RESOLUTION}
    assert ticket.first_response_due == clocks[SlaTargetKind.FIRST_RESPONSE].due_at
    assert ticket.resolution_due == clocks[SlaTargetKind.RESOLUTION].due_at
    assert ticket.sla_warning_at == min(clock.warn_at for clock in clocks.values())
    assert ticket.next_response_due is None and ticket.last_seq >= 1
