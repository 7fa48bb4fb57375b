"""Celery tasks of unlock applications: thin wrappers around services, started by name
through `unlock.queue`."""

from celery import shared_task

from unlockdesk.unlock import services
from unlockdesk.verification import services as verification


@shared_task(acks_late=True)
def run_checks(application_id: int) -> int:
    """Run every automated check, then move the application on (checking -> in review / needs
    info).

    Started after commit by `unlock.services` when materials arrive or are re-uploaded; safe
    to run twice (results are replaced, the status move is idempotent). The unlock workflow
    drives its own status machine; verification only runs the checks and stores the results.
    """
    services.begin_checking(application_id)
    rows = verification.run_checks(application_id)
    services.checks_completed(application_id)
    return len(rows)


@shared_task
def purge_expired_evidence() -> int:
    """Beat schedule (hourly): delete evidence of tickets closed longer than the retention period
    and of drafts abandoned longer than the draft retention period."""
    return services.purge_expired_evidence()


@shared_task
def alert_customer(application_id: int, status: str) -> bool:
    """After a status change of a portal application: tell the customer's sign-in address."""
    return services.alert_customer(application_id, status)
