"""Which adapter of this app serves which channel; IntakeConfig.ready() registers them with the
pipeline (`tickets.hooks`). A new channel is a new module here, never a branch in the pipeline.
Each adapter module has `ADDRESS_KIND`, `parse(raw) -> InboundMessage` and
`deliver(OutboundMessage) -> DeliveryResult`. Live chat's adapter belongs to the chat app,
which registers it itself."""

from unlockdesk.intake import facebook, phone, telegram, web, x
from unlockdesk.intake.mail import channel as email
from unlockdesk.tickets import hooks
from unlockdesk.tickets.types import Channel

ADAPTERS: dict[Channel, hooks.ChannelAdapter] = {
    Channel.WEB: web,
    Channel.EMAIL: email,
    Channel.PHONE: phone,
    Channel.TELEGRAM: telegram,
    Channel.X: x,
    Channel.FACEBOOK: facebook,
}


def register_adapters() -> None:
    for channel, adapter in ADAPTERS.items():
        hooks.register_adapter(channel, adapter)
