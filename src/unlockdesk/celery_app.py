"""The Celery application; the broker is chosen by settings (no server needed by default)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unlockdesk.settings")

app = Celery("unlockdesk")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
