"""Celery tasks of outgoing webhooks: thin wrappers around services."""

from typing import Any

from celery import Task, shared_task

from unlockdesk.intake.outgoing import services


@shared_task(bind=True, max_retries=None, acks_late=True)
def deliver_webhook(self: Task, delivery_id: int) -> Any:
    """Send with exponential back-off; send() decides when to stop (2xx or the attempt limit).

    The retry is scheduled without raising (throw=False): the failure is already logged, and
    in eager mode Celery then runs the retry at once instead of propagating an exception.
    """
    outcome = services.send(delivery_id)
    if outcome.retry_in is not None:
        return self.retry(countdown=outcome.retry_in.total_seconds(), throw=False)
    return outcome.delivered


@shared_task
def redeliver_overdue_webhooks() -> int:
    """Beat schedule (every 5 minutes): queue again the deliveries whose task was lost."""
    ids = services.overdue()
    for pk in ids:
        deliver_webhook.delay(pk)
    return len(ids)
