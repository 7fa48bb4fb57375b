"""The email channel adapter the registry knows (Channel.EMAIL).

`parse(raw)` turns RFC 822 bytes into the pipeline's InboundMessage (secrets already
redacted); `deliver(OutboundMessage)` sends an official email. The work is done in
`unlockdesk.intake.mail`; inbound mail from every source goes through
`unlockdesk.intake.mail.ingest.ingest`, which also handles loops and bounces.
"""

from unlockdesk.intake.mail.ours import message_id_for
from unlockdesk.intake.mail.outbound import anti_phishing_line, deliver, render
from unlockdesk.intake.mail.parse import MalformedMail, parse_bytes
from unlockdesk.tickets.types import InboundMessage

__all__ = ["MalformedMail", "anti_phishing_line", "deliver", "message_id_for", "parse", "render"]


def parse(raw: bytes) -> InboundMessage:
    """The pipeline's view of one message; raises MalformedMail with a reason."""
    from unlockdesk.intake.mail.ingest import to_inbound

    return to_inbound(parse_bytes(raw))
