"""enqueue() reads the active webhook subscriptions at most once per moment after commit,
sees a change made in its own process at once and another process's within FRESH_S, and
reads afresh inside a transaction."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from unlockdesk.intake.outgoing import held, services
from unlockdesk.intake.outgoing.models import Delivery, Subscription


def _subscription_reads(queries: CaptureQueriesContext) -> int:
    return sum('FROM "outgoing_webhooks_subscription"' in q["sql"] for q in queries.captured_queries)


@pytest.mark.django_db(transaction=True)
def test_after_commit_the_list_is_read_once_and_kept_in_step(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [500.0]
    monkeypatch.setattr(held, "monotonic", lambda: clock[0])
    monkeypatch.setattr(services, "_queue", lambda pk: None)  # store only; no delivery task
    first = services.subscribe(url="https://hooks.example.com/a", events=["ticket.created"],
                               actor="test")
    with CaptureQueriesContext(connection) as queries:
        for n in range(5):
            services.enqueue("ticket.created", {"n": n})
    assert _subscription_reads(queries) == 1
    assert Delivery.objects.filter(subscription=first).count() == 5

    second = services.subscribe(url="https://hooks.example.com/b", events=["ticket.created"],
                                actor="test")                 # saved here: seen at once
    services.enqueue("ticket.created", {"n": 5})
    assert Delivery.objects.filter(subscription=second).count() == 1
    assert Delivery.objects.filter(subscription=first).count() == 6

    Subscription.objects.filter(pk=first.pk).update(active=False)   # as another process would
    services.enqueue("ticket.created", {"n": 6})
    assert Delivery.objects.filter(subscription=first).count() == 7  # within the moment
    clock[0] += held.FRESH_S
    services.enqueue("ticket.created", {"n": 7})
    assert Delivery.objects.filter(subscription=first).count() == 7  # read again: inactive


@pytest.mark.django_db
def test_inside_a_transaction_the_list_is_read_afresh() -> None:
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        assert held.active_subscriptions() == []
        assert held.active_subscriptions() == []
    assert _subscription_reads(queries) == 2
