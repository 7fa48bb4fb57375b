from django.apps import AppConfig


class HelpcenterConfig(AppConfig):
    name = "unlockdesk.helpcenter"
    label = "helpcenter"
    verbose_name = "Help center"
