"""Records exports on the task queue: thin wrappers around services."""

from celery import shared_task

from unlockdesk.records import services


@shared_task(acks_late=True)
def build_records_export(export_id: int) -> str:
    return str(services.build(export_id).status)


@shared_task
def expire_records_exports() -> int:
    """Beat schedule (hourly): exports live for a day."""
    return services.expire_old()
