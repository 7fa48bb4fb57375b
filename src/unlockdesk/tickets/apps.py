from django.apps import AppConfig


class TicketsConfig(AppConfig):
    name = "unlockdesk.tickets"
    verbose_name = "Tickets"

    def ready(self) -> None:
        """Register the pipeline's Celery tasks, which tickets.queue starts by name, and the
        listener that writes the exchange's lock changes on the account's open tickets.

        Imported here, not at the top: the task module imports the services and models,
        which Django allows only once the app registry is ready.
        """
        from unlockdesk.accounts.hooks import on_lock_change
        from unlockdesk.staff.presence import when_available
        from unlockdesk.tickets import tasks  # noqa: F401
        from unlockdesk.tickets.queue import start_route_waiting
        from unlockdesk.tickets.services.account_locks import record_lock_changes

        on_lock_change(record_lock_changes)
        when_available(start_route_waiting)  # an agent came online: offer them waiting tickets
