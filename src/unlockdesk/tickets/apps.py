from django.apps import AppConfig

from unlockdesk import chinese, warmup


class TicketsConfig(AppConfig):
    name = "unlockdesk.tickets"
    verbose_name = "Tickets"

    def ready(self) -> None:
        """Register the pipeline's Celery tasks, which tickets.queue starts by name, the
        listener that writes the exchange's lock changes on the account's open tickets, and
        what a long-running process loads as it starts (unlockdesk.warmup).

        Imported here, not at the top: the task module imports the services and models,
        which Django allows only once the app registry is ready.
        """
        from unlockdesk.accounts.hooks import on_lock_change
        from unlockdesk.staff.presence import when_available
        from unlockdesk.tickets import (
            queue,
            tasks,  # noqa: F401
        )
        from unlockdesk.tickets.labels import register_value_labels
        from unlockdesk.tickets.models import EventKind
        from unlockdesk.tickets.queue import start_route_waiting
        from unlockdesk.tickets.search import analysis
        from unlockdesk.tickets.services.account_locks import record_lock_changes
        from unlockdesk.tickets.sla_words import clock_label

        on_lock_change(record_lock_changes)
        for step in (chinese.load, analysis.load, queue.load):  # see unlockdesk.warmup
            warmup.register(step)
        when_available(start_route_waiting)  # an agent came online: offer them waiting tickets
        for kind in (EventKind.SLA, EventKind.SLA_WARNING):  # which clock, in words
            register_value_labels(kind, clock_label)
        _register_call_labels()
        _register_audit_values()

        from unlockdesk.tickets import inbox_conditions
        inbox_conditions.register()


def _register_call_labels() -> None:
    """The phone call log's timeline values in words (#17)."""
    from unlockdesk.tickets.call_labels import call_label, callback_label
    from unlockdesk.tickets.labels import register_value_labels
    from unlockdesk.tickets.models import EventKind

    register_value_labels(EventKind.CALL, call_label)
    register_value_labels(EventKind.CALLBACK, callback_label)


def _register_audit_values() -> None:
    """Which SLA clock and why a callback, in the audit page's words."""
    from unlockdesk.safety.audit_words import choices_labeler, register_detail_values
    from unlockdesk.tickets.sla_words import clock_label
    from unlockdesk.tickets.types import CallbackReason

    register_detail_values("clock", clock_label)  # the timeline's words for a clock
    register_detail_values("reason", choices_labeler(CallbackReason))
