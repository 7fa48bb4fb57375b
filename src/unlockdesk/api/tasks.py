"""Celery tasks of the API: thin wrappers."""

from celery import shared_task

from unlockdesk.api import idempotency


@shared_task
def purge_idempotency_records() -> int:
    return idempotency.purge_expired()
