from django.apps import AppConfig


class ChatConfig(AppConfig):
    name = "unlockdesk.chat"
    label = "chat"
    verbose_name = "Live chat"
