"""An agent's queues are read once for the many visibility checks of one page, and a
long-lived holder of the agent (a console socket) sees a change of queues within seconds."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_agent, receive_one
from unlockdesk.tickets import selectors
from unlockdesk.tickets.models import Queue, Ticket

pytestmark = pytest.mark.django_db


def test_queues_are_read_once_and_again_when_stale(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [1000.0]
    monkeypatch.setattr(selectors, "monotonic", lambda: clock[0])
    agent = make_agent()
    payments = Queue.objects.create(slug="payments-memo", name="Payments")
    security = Queue.objects.create(slug="security-memo", name="Security")
    payments.agents.add(agent)
    in_payments = receive_one(text="提币没到账", sender="memo1@example.com").ticket_number
    in_security = receive_one(text="账户被盗", sender="memo2@example.com").ticket_number
    Ticket.objects.filter(number=in_payments).update(queue=payments)
    Ticket.objects.filter(number=in_security).update(queue=security)

    def seen() -> set[str]:
        return set(selectors.visible_tickets(agent).values_list("number", flat=True))

    with CaptureQueriesContext(connection) as reads:
        assert seen() == {in_payments}
        assert seen() == {in_payments}
    assert sum("tickets_queue_agents" in q["sql"] for q in reads.captured_queries) == 1

    payments.agents.remove(agent)
    security.agents.add(agent)
    clock[0] += selectors.QUEUE_IDS_FRESH_S - 0.1
    assert seen() == {in_payments}                  # still within the same moment
    clock[0] += 0.2
    assert seen() == {in_security}                  # read again: the new queue, not the old
