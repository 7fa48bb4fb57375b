"""The Celery application; the broker is chosen by settings (no server needed by default)."""

import os
from typing import Any

from celery import Celery
from celery.signals import task_postrun, worker_init
from django.db import close_old_connections, connections

from unlockdesk import warmup

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unlockdesk.settings")

app = Celery("unlockdesk")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect(weak=False)
def _warm(**_kwargs: object) -> None:
    """Load what the first task would (unlockdesk.warmup) before the pool starts, then close
    the database connection the steps opened: forked pool processes must not share it."""
    keep_connections()
    warmup.warm()
    connections.close_all()


def keep_connections() -> None:
    """Let a worker keep its database connection from task to task.

    UNLOCKDESK_DB_CONN_MAX_AGE stays 0 for the web server (under ASGI each request has a
    thread of its own), and Celery then closes the connection after every task: sending an
    acknowledgement spent a fifth of its time connecting to SQLite again, and PostgreSQL forks
    a backend per connection. A worker's process or thread takes task after task, so it keeps
    its connection for UNLOCKDESK_WORKER_DB_CONN_MAX_AGE seconds; one that fails is replaced
    after the task that saw it fail (_after_task), as Django does between requests.
    """
    age = int(os.environ.get("UNLOCKDESK_WORKER_DB_CONN_MAX_AGE", "300"))
    for alias in connections:
        connections.settings[alias]["CONN_MAX_AGE"] = age


@task_postrun.connect(weak=False)
def _after_task(task: Any = None, **_kwargs: object) -> None:
    """Django's rule between requests, between tasks: close a connection that is too old or
    broke during the task (Celery's own closing is off: settings.CELERY_DB_REUSE_MAX). Not for
    a task run eagerly: it ran inside its caller, whose transaction may still be open."""
    if task is not None and not getattr(task.request, "is_eager", False):
        close_old_connections()
