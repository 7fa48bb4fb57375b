"""tickets_message carries one index that begins with ticket_id: the (ticket, seq) unique one,
which serves every read of a ticket's messages; each index more is a write per stored message."""

import pytest
from django.db import connection

from tests.factories import receive_one
from unlockdesk.tickets.models import Message

pytestmark = pytest.mark.django_db


def _indexes_beginning_with_ticket_id() -> dict[str, dict[str, object]]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Message._meta.db_table)
    return {name: info for name, info in constraints.items()
            if info["index"] or info["unique"] if info["columns"] and info["columns"][0] == "ticket_id"}


def test_the_ticket_and_seq_unique_index_is_the_only_one_on_ticket_id() -> None:
    (info,) = _indexes_beginning_with_ticket_id().values()
    assert info["unique"] and info["columns"] == ["ticket_id", "seq"]


def test_a_tickets_messages_are_read_through_it() -> None:
    receipt = receive_one(text="my account is locked")
    if connection.vendor == "postgresql":  # a handful of rows: it would rather scan them
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            # or, by the statistics the suite's earlier tests left, read them through a bitmap
            # and sort the two rows: the question is whether the index gives them in order.
            cursor.execute("SET LOCAL enable_bitmapscan = off")
    plan = Message.objects.filter(ticket_id=receipt.ticket_id).order_by("seq").explain()
    assert "uniq_message_ticket_seq" in plan or "USING INDEX sqlite_autoindex_tickets_message" in plan, plan
    assert "TEMP B-TREE" not in plan and "Sort" not in plan, plan  # in seq order as read
