"""Upgrading: open tickets from before business hours get running SLA clocks, without a flood
of notifications for the ones already flagged breached."""

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE = [("tickets", "0009_ticket_tags")]
AFTER = [("tickets", "0010_sla")]


@pytest.fixture(autouse=True)
def _back_to_the_latest_schema() -> Iterator[None]:
    """The test walks the schema back and forth; every later test needs it whole again."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_open_tickets_get_clocks_from_their_stored_due_times() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Contact, Ticket = old.get_model("tickets", "Contact"), old.get_model("tickets", "Ticket")
    contact = Contact.objects.create(display_name="old")
    now = timezone.now()

    def make(number: str, **fields: object) -> int:
        values = {"first_response_due": now + timedelta(hours=3),
                  "resolution_due": now + timedelta(hours=71), **fields}
        return Ticket.objects.create(
            number=number, subject="s", channel="email", contact=contact,
            created_at=now - timedelta(hours=1), updated_at=now - timedelta(minutes=30),
            **values).pk

    waiting = make("UD-OLD1")
    paused = make("UD-OLD2", status="waiting_customer", first_response_at=now)
    flagged = make("UD-OLD3", sla_breached=True, first_response_due=now - timedelta(minutes=5))
    make("UD-OLD4", status="closed")

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    SlaTarget, Ticket = new.get_model("tickets", "SlaTarget"), new.get_model("tickets", "Ticket")
    assert SlaTarget.objects.count() == 2 + 1 + 2
    first = SlaTarget.objects.get(ticket_id=waiting, kind="first_response")
    assert first.due_at == now + timedelta(hours=3) and first.next_check_at == first.warn_at
    assert first.warn_at == now - timedelta(hours=1) + timedelta(hours=4) * 0.8
    assert SlaTarget.objects.get(ticket_id=paused).next_check_at is None
    assert Ticket.objects.get(pk=paused).sla_paused_at == now - timedelta(minutes=30)
    late = SlaTarget.objects.get(ticket_id=flagged, kind="first_response")
    assert late.breached_at == late.due_at and late.next_check_at is None
