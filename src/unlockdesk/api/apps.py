from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "unlockdesk.api"
    verbose_name = "API"
