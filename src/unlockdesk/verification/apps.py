from django.apps import AppConfig


class VerificationConfig(AppConfig):
    name = "unlockdesk.verification"
    verbose_name = "Automated checks of unlock evidence"

    def ready(self) -> None:
        """Import every module of `verification.checks` so its `@register` decorators run."""
        from unlockdesk.verification.registry import discover

        discover()
