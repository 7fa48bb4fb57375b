from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "unlockdesk.intake"
    verbose_name = "Channels"

    def ready(self) -> None:
        """Register the channel adapters with the pipeline (tickets.hooks).

        Imported here, not at the top: the adapters import models, which Django allows only
        once the app registry is ready.
        """
        from unlockdesk import sending
        from unlockdesk.intake import sms
        from unlockdesk.intake.registry import register_adapters

        register_adapters()
        sending.set_sms_sender(sms.send)
