"""The live-chat channel adapter (Channel.CHAT), registered by this app's AppConfig.ready().

A widget message becomes an InboundMessage; agent replies reach the customer on the socket,
or by email once they have left the chat.

Live delivery needs no push from here: every message appended to a ticket is announced to the
ticket's group after commit with its frame, and the chat sockets show it (reading the database
only when they see a gap in the sequence numbers). This
adapter only decides whether the customer is still there and, if not, mails the message with a
link to continue the chat from the portal.
"""

from dataclasses import dataclass, replace

from django.conf import settings
from django.utils.translation import override

from unlockdesk.chat.selectors import delivery_target
from unlockdesk.chat.texts import left_chat_notice
from unlockdesk.intake.mail import channel as email_channel
from unlockdesk.tickets.types import (
    Channel,
    DeliveryResult,
    InboundAttachment,
    InboundMessage,
    OutboundMessage,
    SenderIdentity,
)

ADDRESS_KIND = None


@dataclass(frozen=True)
class ChatPost:
    """One customer message from the widget; `client_id` makes a resent message land once."""

    conversation: str
    client_id: str
    sender: SenderIdentity
    text: str
    ticket_number: str = ""
    language: str = ""
    files: tuple[tuple[str, bytes], ...] = ()


def external_id(conversation: str, client_id: str) -> str:
    return f"chat:{conversation}:{client_id}"


def parse(raw: ChatPost) -> InboundMessage:
    return InboundMessage(
        channel=Channel.CHAT,
        external_id=external_id(raw.conversation, raw.client_id),
        sender=raw.sender,
        text=raw.text,
        ticket_number=raw.ticket_number,
        language=raw.language,
        attachments=tuple(InboundAttachment(name, data) for name, data in raw.files),
    )


def continue_url(ticket_number: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}/chat/continue/{ticket_number}/"


def deliver(message: OutboundMessage) -> DeliveryResult:
    target = delivery_target(message.message_id)
    if target.online:
        return DeliveryResult(True, provider_id=f"chat:live:{message.message_id}")
    if not target.email:
        return DeliveryResult(False, retryable=False,
                              error="customer left the chat and has no email address")
    with override(message.language):
        text = f"{message.text}\n\n{left_chat_notice(continue_url(message.ticket_number))}"
    return email_channel.deliver(replace(message, channel=Channel.EMAIL, to=target.email, text=text))
