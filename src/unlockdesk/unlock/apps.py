from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnlockConfig(AppConfig):
    name = "unlockdesk.unlock"
    verbose_name = "Unlock applications"

    def ready(self) -> None:
        """Register unlock's Celery tasks, which unlock.queue starts by name, and the words for
        the application states it writes on ticket timelines.

        Imported here, not at the top: the task module imports the services and models,
        which Django allows only once the app registry is ready.
        """
        from unlockdesk.tickets.labels import register_value_labels
        from unlockdesk.tickets.models import EventKind
        from unlockdesk.unlock import tasks  # noqa: F401
        from unlockdesk.unlock.types import ApplicationStatus

        def status_label(value: str) -> str | None:
            if value == "awaiting_second_reviewer":
                return str(_("Approved once, awaiting a second reviewer"))
            return str(ApplicationStatus(value).label) if value in ApplicationStatus.values else None

        register_value_labels(EventKind.UNLOCK, status_label)
        from unlockdesk.unlock import inbox_conditions
        inbox_conditions.register()
        _register_audit_values()


def _register_audit_values() -> None:
    """Evidence kinds and how a file was opened, in the audit page's words."""
    from django.utils.translation import pgettext_lazy

    from unlockdesk.safety.audit_words import (
        choices_labeler,
        register_detail_values,
        words_labeler,
    )
    from unlockdesk.unlock.types import EvidenceKind

    for key in ("kind", "kinds", "items"):
        register_detail_values(key, choices_labeler(EvidenceKind))
    register_detail_values("form", words_labeler({
        "original": pgettext_lazy("evidence opened as", "the original file"),
        "preview": pgettext_lazy("evidence opened as", "a preview"),
        "review_page": pgettext_lazy("evidence opened as", "the review page"),
    }))
