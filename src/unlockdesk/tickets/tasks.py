"""Celery tasks of the ticket pipeline: thin wrappers around services."""

from celery import Task, shared_task
from celery.exceptions import Retry

from unlockdesk.staff import presence
from unlockdesk.tickets.models import Delivery, Message
from unlockdesk.tickets.services import (
    assignment,
    bulk,
    calls,
    escalation,
    outbound,
    remote_files,
    workflow,
)


@shared_task(bind=True, max_retries=outbound.MAX_DELIVERY_ATTEMPTS, acks_late=True)
def deliver_message(self: Task, message_id: int) -> bool:
    """Deliver with exponential back-off (30 s, 60 s, 120 s ...) while the failure is retryable."""
    result = outbound.deliver(message_id)
    if (not result.delivered and result.retryable
            and Message.objects.filter(pk=message_id, delivery=Delivery.PENDING).exists()):
        delay = outbound.retry_delay(self.request.retries + 1)  # the due time deliver() stored
        raise self.retry(countdown=delay.total_seconds())
    return result.delivered


@shared_task(bind=True, max_retries=remote_files.MAX_FETCH_ATTEMPTS, acks_late=True)
def fetch_remote_file(self: Task, remote_id: int) -> str | Retry:
    """Fetch a customer's file from the platform, with back-off (30 s, 60 s ...) while it fails."""
    outcome = remote_files.fetch(remote_id)
    if not outcome.retryable:
        return str(outcome.state)
    delay = remote_files.retry_delay(self.request.retries + 1).total_seconds()
    # Eager (tests, one-off commands) has no queue to wait on: Celery runs the returned retry
    # at once. On a worker the retry is raised and scheduled after the back-off.
    retry: Retry = self.retry(countdown=delay, throw=not self.request.is_eager)
    return retry


@shared_task
def refetch_overdue_files() -> int:
    """Beat schedule (every 5 minutes): queue again the file fetches whose task was lost."""
    ids = remote_files.overdue_fetches()
    for pk in ids:
        fetch_remote_file.delay(pk)
    return len(ids)


@shared_task
def redeliver_overdue() -> int:
    """Beat schedule (every 5 minutes): queue again the deliveries whose task was lost."""
    ids = outbound.overdue_deliveries()
    for pk in ids:
        deliver_message.delay(pk)
    return len(ids)


@shared_task
def escalate_sla() -> tuple[int, int]:
    """Beat schedule (every minute): SLA warnings and breaches now due, each once."""
    run = escalation.escalate_due()
    return run.warned, run.breached


@shared_task
def close_resolved() -> int:
    return workflow.close_resolved()


@shared_task
def resolve_idle() -> int:
    """Beat schedule (hourly): resolve tickets the customer left waiting too long."""
    return workflow.resolve_idle()


@shared_task
def escalate_missed_callbacks() -> int:
    """Beat schedule (every minute): escalate callbacks past their due time (phone, #17)."""
    return calls.escalate_missed_callbacks()


@shared_task(acks_late=True)
def run_bulk_job(job_id: int) -> bool:
    """One batch of a bulk action; queues the next batch itself until the job is done."""
    return bulk.run_job(job_id)


@shared_task
def route_waiting() -> int:
    """When an agent comes online or frees a place, and every minute (beat): forget consoles
    that stopped beating, then offer the tickets waiting in automatic queues again."""
    presence.sweep_silent_sockets()
    return assignment.assign_waiting()
