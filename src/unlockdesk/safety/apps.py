from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "unlockdesk.safety"
    verbose_name = "Safety"

    def ready(self) -> None:
        """Every official email gets its address's anti-phishing code and freeze link."""
        from unlockdesk import sending
        from unlockdesk.safety.notices import official_email_footer

        sending.set_email_footer(official_email_footer)
        _register_audit_values()


def _register_audit_values() -> None:
    """Codes of safety's own and of the accounts below it that audit details hold, in words
    (tickets and unlock register theirs from their own AppConfig)."""
    from django.utils.translation import pgettext_lazy

    from unlockdesk.accounts.types import Restriction
    from unlockdesk.safety.audit_words import (
        choices_labeler,
        register_detail_values,
        words_labeler,
    )
    from unlockdesk.safety.models import ContactKind

    register_detail_values("restrictions", choices_labeler(Restriction))
    register_detail_values("kind", choices_labeler(ContactKind))
    register_detail_values("via", words_labeler({
        "portal": pgettext_lazy("freeze asked through", "the customer portal"),
        "email link": pgettext_lazy("freeze asked through", "the link in an email"),
        "phone": pgettext_lazy("freeze asked through", "the phone line"),
    }))
