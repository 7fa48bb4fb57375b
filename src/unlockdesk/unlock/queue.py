"""Starting unlock's tasks once the write has committed.

The services start these tasks and the task module (`unlock.tasks`) calls the services:
starting a task by its registered name keeps that one-way, without an import inside a
function. Celery registers the tasks when `unlock.tasks` is imported, which
UnlockConfig.ready() does in every process.
"""

from functools import partial

from django.db import transaction

from unlockdesk.celery_app import app

RUN_CHECKS = "unlockdesk.unlock.tasks.run_checks"
ALERT_CUSTOMER = "unlockdesk.unlock.tasks.alert_customer"


def run_checks_after_commit(application_id: int) -> None:
    """Run the automated checks on the queue once the submitted evidence has committed."""
    transaction.on_commit(partial(_start, RUN_CHECKS, application_id))


def alert_customer_after_commit(application_id: int, status: str) -> None:
    """Tell the applicant's sign-in address about `status` once the change has committed."""
    transaction.on_commit(partial(_start, ALERT_CUSTOMER, application_id, status))


def _start(task_name: str, *args: object) -> None:
    app.tasks[task_name].delay(*args)
