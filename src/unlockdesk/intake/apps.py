from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "unlockdesk.intake"
    verbose_name = "Channels"
