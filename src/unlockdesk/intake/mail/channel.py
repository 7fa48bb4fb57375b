"""The email channel adapter (Channel.EMAIL), of the shape every adapter has.

`parse(raw)` turns RFC 822 bytes into the pipeline's InboundMessage (secrets already
redacted); `deliver(OutboundMessage)` sends an official email. The work is done by the other
modules of `unlockdesk.intake.mail`; inbound mail from every source goes through
`unlockdesk.intake.mail.ingest.ingest`, which also handles loops and bounces.
"""

from unlockdesk.intake.mail.ingest import to_inbound
from unlockdesk.intake.mail.ours import message_id_for
from unlockdesk.intake.mail.outbound import deliver, render
from unlockdesk.intake.mail.parse import MalformedMail, parse_bytes
from unlockdesk.tickets.types import Channel, IdentityKind, InboundMessage

__all__ = ["ADDRESS_KIND", "CHANNEL", "MalformedMail", "deliver", "message_id_for", "parse", "render"]

CHANNEL = Channel.EMAIL
ADDRESS_KIND = IdentityKind.EMAIL


def parse(raw: bytes) -> InboundMessage:
    """The pipeline's view of one message; raises MalformedMail with a reason."""
    return to_inbound(parse_bytes(raw))
