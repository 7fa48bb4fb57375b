"""tickets_ticket carries no index that another one makes redundant by beginning with the same
column: every stored message writes the ticket row, and on PostgreSQL that write (updated_at
changes, so it is never a HOT update) inserts into every index of the table."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from tests.factories import make_agent, receive_one
from unlockdesk.tickets.models import Queue, Ticket

pytestmark = pytest.mark.django_db

LED_BY_A_COMPOSITE = ("updated_at", "created_at", "assignee_id", "queue_id")


def _indexes() -> dict[str, dict[str, object]]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Ticket._meta.db_table)
    return {name: info for name, info in constraints.items() if info["index"] and info["columns"]}


@pytest.mark.parametrize("column", LED_BY_A_COMPOSITE)
def test_the_column_has_no_index_of_its_own_but_leads_a_composite_one(column: str) -> None:
    indexes = _indexes()
    # Django names a field's own index after the table and the column (db_index, foreign keys);
    # what remains beginning with the column is a composite or covering index.
    assert not [name for name in indexes if name.startswith(f"tickets_ticket_{column}_")], indexes
    assert any(info["columns"][0] == column for info in indexes.values()), (  # type: ignore[index]
        f"no index begins with {column}")


@pytest.mark.parametrize("column", LED_BY_A_COMPOSITE)
def test_a_lookup_by_the_column_is_still_an_index_read(column: str) -> None:
    queue = Queue.objects.create(slug="idx-queue", name="Index queue")
    agent = make_agent()
    number = receive_one(text="提币一直在审核").ticket_number
    moment = timezone.now() - timedelta(hours=3)
    Ticket.objects.filter(number=number).update(queue=queue, assignee=agent, updated_at=moment,
                                                created_at=moment)
    value = {"updated_at": moment, "created_at": moment, "assignee_id": agent.pk,
             "queue_id": queue.pk}[column]
    if connection.vendor == "postgresql":  # one row: it would rather scan the table
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
    plan = Ticket.objects.filter(**{column: value}).values("id").explain()
    assert "Index" in plan or "USING INDEX" in plan or "USING COVERING INDEX" in plan, plan
    assert Ticket.objects.filter(**{column: value}).count() == 1
