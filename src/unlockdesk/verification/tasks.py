"""Running the checks on the task queue, after the evidence has committed."""

from celery import shared_task

from unlockdesk.verification import services


@shared_task(acks_late=True)
def run_checks(application_id: int) -> int:
    """Run every check, then let the unlock flow move on (checking -> in review / needs info).

    Started with `transaction.on_commit` by `unlock.services` when materials arrive or are
    re-uploaded; safe to run twice (results are replaced, the status move is idempotent).
    """
    from unlockdesk.unlock.services import submission as unlock_services

    unlock_services.begin_checking(application_id)
    rows = services.run_checks(application_id)
    unlock_services.checks_completed(application_id)
    return len(rows)
