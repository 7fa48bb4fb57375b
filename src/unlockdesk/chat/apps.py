from django.apps import AppConfig

from unlockdesk.tickets import hooks
from unlockdesk.tickets.types import Channel


class ChatConfig(AppConfig):
    name = "unlockdesk.chat"
    label = "chat"
    verbose_name = "Live chat"

    def ready(self) -> None:
        """Register the live-chat channel adapter and its live frames with the pipeline
        (tickets.hooks).

        Imported here, not at the top: the adapter imports models, which Django allows only
        once the app registry is ready.
        """
        from unlockdesk.chat import channel, frames

        hooks.register_adapter(Channel.CHAT, channel)
        hooks.register_live_frames(frames.live_frames)
