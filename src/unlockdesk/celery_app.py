"""The Celery application; the broker is chosen by settings (no server needed by default)."""

import os

from celery import Celery
from celery.signals import worker_init
from django.db import connections

from unlockdesk import warmup

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unlockdesk.settings")

app = Celery("unlockdesk")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect(weak=False)
def _warm(**_kwargs: object) -> None:
    """Load what the first task would (unlockdesk.warmup) before the pool starts, then close
    the database connection the steps opened: forked pool processes must not share it."""
    warmup.warm()
    connections.close_all()
