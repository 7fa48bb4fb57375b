"""Transcripts and the customer's own records export."""

from typing import Any

from unlockdesk.accounts.models import ExchangeAccount
from unlockdesk.tickets import selectors
from unlockdesk.tickets.models import Contact, Direction, Message, Ticket


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


def customer_records(contact: Contact, account: ExchangeAccount | None) -> dict[str, Any]:
    """Everything the desk holds that the customer may take with them (no internal notes)."""
    tickets = []
    for ticket in selectors.tickets_of(contact, account):
        tickets.append({
            "number": ticket.number,
            "subject": ticket.subject,
            "status": ticket.status,
            "channel": ticket.channel,
            "created_at": ticket.created_at.isoformat(),
            "messages": [
                {
                    "seq": m.seq,
                    "from": _speaker(m),
                    "at": m.created_at.isoformat(),
                    "text": m.body_text,
                    "attachments": [a.filename for a in m.attachments.all()],
                }
                for m in selectors.conversation(ticket, for_customer=True)
            ],
        })
    return {
        "contact": {
            "identities": [f"{i.kind}:{i.value}" for i in contact.identities.all()],
        },
        "account_uid": account.uid if account else None,
        "tickets": tickets,
    }
