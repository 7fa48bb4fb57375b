from django.apps import AppConfig


class OutgoingWebhooksConfig(AppConfig):
    """Outgoing webhooks (Standard Webhooks): its own app so it keeps its own models and
    migrations beside the channel adapters."""

    name = "unlockdesk.intake.outgoing"
    label = "outgoing_webhooks"
    verbose_name = "Outgoing webhooks"

    def ready(self) -> None:
        from unlockdesk import integration_events
        from unlockdesk.intake.outgoing import tasks  # noqa: F401  (registers the Celery tasks)
        from unlockdesk.intake.outgoing.services import enqueue

        integration_events.listen(enqueue)
