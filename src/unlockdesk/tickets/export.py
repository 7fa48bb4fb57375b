"""A ticket's transcript as plain text (the customer's full records: unlockdesk.records)."""

from unlockdesk.tickets import selectors
from unlockdesk.tickets.models import Direction, Message, Ticket


def _speaker(message: Message) -> str:
    if message.direction == Direction.INBOUND:
        return "customer"
    if message.author:
        return message.author.public_name
    return "system"


def transcript_text(ticket: Ticket, *, for_customer: bool) -> str:
    lines = [f"{ticket.number} - {ticket.subject}", f"status: {ticket.status}", ""]
    for message in selectors.conversation(ticket, for_customer=for_customer):
        label = "note" if message.direction == Direction.NOTE else _speaker(message)
        lines.append(f"[{message.created_at:%Y-%m-%d %H:%M:%S %Z}] #{message.seq} {label}:")
        lines.append(message.body_text)
        for attachment in message.attachments.all():
            lines.append(f"  (attachment: {attachment.filename}, {attachment.size} bytes)")
        lines.append("")
    return "\n".join(lines)

