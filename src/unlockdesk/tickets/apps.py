from django.apps import AppConfig


class TicketsConfig(AppConfig):
    name = "unlockdesk.tickets"
    verbose_name = "Tickets"

    def ready(self) -> None:
        """Register the pipeline's Celery tasks, which tickets.queue starts by name.

        Imported here, not at the top: the task module imports the services and models,
        which Django allows only once the app registry is ready.
        """
        from unlockdesk.tickets import tasks  # noqa: F401
