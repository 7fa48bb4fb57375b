from django.apps import AppConfig


class UnlockConfig(AppConfig):
    name = "unlockdesk.unlock"
    verbose_name = "Unlock applications"
