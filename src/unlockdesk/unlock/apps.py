from django.apps import AppConfig


class UnlockConfig(AppConfig):
    name = "unlockdesk.unlock"
    verbose_name = "Unlock applications"

    def ready(self) -> None:
        """Register unlock's Celery tasks, which unlock.queue starts by name.

        Imported here, not at the top: the task module imports the services and models,
        which Django allows only once the app registry is ready.
        """
        from unlockdesk.unlock import tasks  # noqa: F401
