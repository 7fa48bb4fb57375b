"""Celery tasks of unlock applications: thin wrappers around services."""

from celery import shared_task

from unlockdesk.unlock import services


@shared_task
def purge_expired_evidence() -> int:
    """Beat schedule (hourly): delete evidence of tickets closed longer than the retention period
    and of drafts abandoned longer than the draft retention period."""
    return services.purge_expired_evidence()


@shared_task
def alert_customer(application_id: int, status: str) -> bool:
    """After a status change of a portal application: tell the customer's sign-in address."""
    return services.alert_customer(application_id, status)
