from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "unlockdesk.safety"
    verbose_name = "Safety"

    def ready(self) -> None:
        """Every official email gets its address's anti-phishing code and freeze link."""
        from unlockdesk import sending
        from unlockdesk.safety.notices import official_email_footer

        sending.set_email_footer(official_email_footer)
