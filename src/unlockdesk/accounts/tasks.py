"""Periodic account upkeep on the task queue."""

from celery import shared_task

from unlockdesk.accounts import services


@shared_task
def lift_expired_holds() -> int:
    """Lift 24-hour security holds whose time is up (each lift audited)."""
    return services.lift_expired_holds()
