from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "unlockdesk.safety"
    verbose_name = "Safety"
