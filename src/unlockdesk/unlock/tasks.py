"""Celery tasks of unlock applications: thin wrappers around services."""

from celery import shared_task

from unlockdesk.unlock import services


@shared_task
def purge_expired_evidence() -> int:
    """Beat schedule (hourly): delete evidence of tickets closed longer than the retention period."""
    return services.purge_expired_evidence()
