from django.apps import AppConfig

from unlockdesk.tickets import hooks
from unlockdesk.tickets.types import Channel


class ChatConfig(AppConfig):
    name = "unlockdesk.chat"
    label = "chat"
    verbose_name = "Live chat"

    def ready(self) -> None:
        """Register the live-chat channel adapter with the pipeline (tickets.hooks).

        Imported here, not at the top: the adapter imports models, which Django allows only
        once the app registry is ready.
        """
        from unlockdesk.chat import channel

        hooks.register_adapter(Channel.CHAT, channel)
