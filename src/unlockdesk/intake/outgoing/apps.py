from django.apps import AppConfig


class OutgoingWebhooksConfig(AppConfig):
    """Outgoing webhooks (Standard Webhooks): its own app so it keeps its own models and
    migrations beside the channel adapters."""

    name = "unlockdesk.intake.outgoing"
    label = "outgoing_webhooks"
    verbose_name = "Outgoing webhooks"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from unlockdesk import integration_events
        from unlockdesk.intake.outgoing import (
            held,
            tasks,  # noqa: F401  (registers the Celery tasks)
        )
        from unlockdesk.intake.outgoing.models import Subscription
        from unlockdesk.intake.outgoing.services import enqueue

        integration_events.listen(enqueue)
        post_save.connect(held.forget, sender=Subscription, dispatch_uid="held-subscriptions-save")
        post_delete.connect(held.forget, sender=Subscription, dispatch_uid="held-subscriptions-delete")
