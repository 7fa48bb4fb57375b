"""The customer portal as a channel: a signed-in customer's form post becomes an InboundMessage.

Replies need no push: the customer reads them in the portal (and live, once chat is on).
"""

from dataclasses import dataclass

from unlockdesk.tickets.types import (
    Channel,
    DeliveryResult,
    IdentityKind,
    InboundAttachment,
    InboundMessage,
    OutboundMessage,
    SenderIdentity,
)

ADDRESS_KIND = None


@dataclass(frozen=True)
class PortalPost:
    """What the portal view hands over; the identity was proven by the one-time code."""

    identity_kind: IdentityKind
    identity_value: str
    client_id: str
    text: str
    subject: str = ""
    ticket_number: str = ""
    language: str = ""
    files: tuple[tuple[str, bytes], ...] = ()


def parse(raw: PortalPost) -> InboundMessage:
    return InboundMessage(
        channel=Channel.WEB,
        external_id=f"portal:{raw.client_id}",
        sender=SenderIdentity(raw.identity_kind, raw.identity_value, verified=True),
        text=raw.text,
        subject=raw.subject,
        ticket_number=raw.ticket_number,
        language=raw.language,
        attachments=tuple(InboundAttachment(name, data) for name, data in raw.files),
    )


def deliver(message: OutboundMessage) -> DeliveryResult:
    return DeliveryResult(delivered=True, provider_id=f"portal:{message.message_id}")
