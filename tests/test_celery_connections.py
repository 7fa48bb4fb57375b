"""A task worker keeps its database connection between tasks, by Django's age rule."""

from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection, connections, transaction

from unlockdesk.celery_app import _after_task, app, keep_connections


@pytest.fixture
def max_age() -> Any:
    """Restore every alias's CONN_MAX_AGE after the test (keep_connections changes them)."""
    before = {alias: connections.settings[alias]["CONN_MAX_AGE"] for alias in connections}
    yield
    for alias, age in before.items():
        connections.settings[alias]["CONN_MAX_AGE"] = age


def _task(*, eager: bool) -> SimpleNamespace:
    return SimpleNamespace(request=SimpleNamespace(is_eager=eager))


def test_celery_does_not_close_the_connection_around_every_task() -> None:
    assert app.conf.get("CELERY_DB_REUSE_MAX") >= 1000


def test_a_worker_keeps_its_connection_for_the_configured_age(
        max_age: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UNLOCKDESK_WORKER_DB_CONN_MAX_AGE", "120")
    keep_connections()
    assert connection.settings_dict["CONN_MAX_AGE"] == 120


@pytest.mark.django_db(transaction=True)
def test_after_a_task_a_young_connection_stays_and_an_old_one_is_closed(max_age: Any) -> None:
    connection.settings_dict["CONN_MAX_AGE"] = 300
    connection.close()
    connection.ensure_connection()
    opened = connection.connection
    _after_task(task=_task(eager=False))
    assert connection.connection is opened  # kept for the next task
    connection.close_at = 0  # past its age
    _after_task(task=_task(eager=False))
    assert connection.connection is None


@pytest.mark.django_db(transaction=True)
def test_a_task_run_eagerly_leaves_its_callers_transaction_alone(max_age: Any) -> None:
    connection.settings_dict["CONN_MAX_AGE"] = 0  # would be closed at once outside a caller
    with transaction.atomic():
        connection.ensure_connection()
        opened = connection.connection
        _after_task(task=_task(eager=True))
        assert connection.connection is opened and not connection.needs_rollback


def test_an_idle_worker_on_the_embedded_broker_looks_for_tasks_ten_times_a_second() -> None:
    """kombu's virtual transports sleep a second between looks at an empty queue: on the
    embedded default an acknowledgement waited up to that long after its commit."""
    if not app.conf.broker_url.startswith("filesystem://"):
        pytest.skip("a real broker pushes tasks to the worker; nothing polls")
    with app.connection_for_read() as broker:
        assert broker.transport.polling_interval == pytest.approx(0.1)
