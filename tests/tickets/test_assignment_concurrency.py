"""Two tickets routed at the same moment never both take an agent's last free place (real
transactions and threads, on SQLite and PostgreSQL)."""

import threading
from typing import Any

import pytest
from django.db import connection

from tests.factories import make_agent, receive_one
from tests.tickets.routing_helpers import go_online, routed_queues
from unlockdesk.tickets.models import QueueRouting, Ticket
from unlockdesk.tickets.services.assignment import auto_assign

pytestmark = pytest.mark.django_db(transaction=True)


def _at_once(ticket_ids: list[int]) -> list[Any]:
    barrier = threading.Barrier(len(ticket_ids))
    results: list[Any] = [None] * len(ticket_ids)

    def run(i: int, pk: int) -> None:
        try:
            barrier.wait()
            results[i] = auto_assign(pk)
        except Exception as exc:  # surfaced by the assertion below
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, pk)) for i, pk in enumerate(ticket_ids)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


def test_concurrent_tickets_do_not_overfill_an_agent() -> None:
    routed_queues(auto_assign=False)  # agents online and tickets in, then all routed at once
    lin, mei = make_agent(), make_agent()
    go_online(lin, max_open=1)
    go_online(mei, max_open=1)
    ids = [Ticket.objects.get(number=receive_one(text="请帮忙看看", sender=f"race{i}@example.com")
                              .ticket_number).pk for i in range(4)]
    QueueRouting.objects.update(auto_assign=True)
    results = _at_once(ids)
    assert not [r for r in results if isinstance(r, Exception)], results
    assigned = list(Ticket.objects.filter(pk__in=ids, assignee__isnull=False)
                    .values_list("assignee_id", flat=True))
    assert sorted(assigned) == sorted([lin.pk, mei.pk])  # one each, two left waiting


def test_the_same_ticket_routed_twice_at_once_is_assigned_once() -> None:
    routed_queues(auto_assign=False)
    go_online(make_agent())
    go_online(make_agent())
    pk = Ticket.objects.get(number=receive_one(text="请帮忙看看").ticket_number).pk
    QueueRouting.objects.update(auto_assign=True)
    results = _at_once([pk, pk])
    assert len([r for r in results if r is not None]) == 1
    assert Ticket.objects.get(pk=pk).events.filter(kind="assigned").count() == 1
