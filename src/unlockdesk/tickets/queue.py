"""Starting the pipeline's delivery task once the write has committed.

The services that store outbound messages start their delivery, and the task module
(`tickets.tasks`) calls those services: starting the task by its registered name keeps that
one-way, without an import inside a function. Celery registers the task when `tickets.tasks`
is imported, which TicketsConfig.ready() does in every process.
"""

from functools import partial

from django.db import transaction

from unlockdesk.celery_app import app

DELIVER_MESSAGE = "unlockdesk.tickets.tasks.deliver_message"
RUN_BULK_JOB = "unlockdesk.tickets.tasks.run_bulk_job"
ROUTE_WAITING = "unlockdesk.tickets.tasks.route_waiting"
FETCH_REMOTE_FILE = "unlockdesk.tickets.tasks.fetch_remote_file"


def deliver_after_commit(message_id: int) -> None:
    """Queue the delivery of an outbound message when the caller's transaction commits
    (at once outside one); nothing is queued if it rolls back."""
    transaction.on_commit(partial(_start, DELIVER_MESSAGE, message_id))


def fetch_after_commit(remote_id: int) -> None:
    """Queue the fetch of a file a customer sent on a social channel, after commit."""
    transaction.on_commit(partial(_start, FETCH_REMOTE_FILE, remote_id))


def load() -> None:
    """Finalize the Celery app (its configuration, every task bound) now: the first task
    started otherwise pays for it, a few hundred ms."""
    app.finalize(auto=True)


def _start(task_name: str, *args: object) -> None:
    app.tasks[task_name].delay(*args)


def run_bulk_after_commit(job_id: int) -> None:
    """Queue the next batch of a bulk job once the caller's transaction commits."""
    transaction.on_commit(partial(_start, RUN_BULK_JOB, job_id))


def route_waiting_after_commit() -> None:
    """Offer the tickets waiting in automatic queues to agents again once the caller's write
    (a freed place, an agent coming online) commits."""
    transaction.on_commit(partial(_start, ROUTE_WAITING))


def start_route_waiting(agent_id: int) -> None:
    """staff.presence's callback (already after commit) when an agent comes online."""
    _start(ROUTE_WAITING)
