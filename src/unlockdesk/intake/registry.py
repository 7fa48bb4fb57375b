"""Which adapter serves which channel. A new channel is a new module here, never a branch in
the pipeline. Each adapter module has `parse(raw) -> InboundMessage` and
`deliver(OutboundMessage) -> DeliveryResult`."""

from importlib import import_module
from types import ModuleType

from unlockdesk.tickets.types import Channel

ADAPTERS: dict[Channel, str] = {
    Channel.WEB: "unlockdesk.intake.web",
    Channel.CHAT: "unlockdesk.chat.channel",
    Channel.EMAIL: "unlockdesk.intake.mail.channel",
    Channel.PHONE: "unlockdesk.intake.phone",
    Channel.TELEGRAM: "unlockdesk.intake.telegram",
    Channel.X: "unlockdesk.intake.x",
    Channel.FACEBOOK: "unlockdesk.intake.facebook",
}


def adapter_for(channel: Channel) -> ModuleType | None:
    path = ADAPTERS.get(channel)
    return import_module(path) if path else None
