from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "unlockdesk.web"
    verbose_name = "Web pages"
