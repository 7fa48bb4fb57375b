"""The one inbound path of the email channel: SMTP/LMTP, IMAP, provider webhooks, files.

ingest(raw) parses, redacts, recognises loops and bounces, and hands the message to the
pipeline (`tickets.services.receive`), which stores it exactly once and atomically, and which
alone decides duplicates and threading: the content hash is the id a message is stored under
when another sender already used its Message-ID, and automatic mail goes in `continues_only`.
Bounces are recorded by `tickets.services.record_bounce`. What is guaranteed, per status:

- created / appended: stored once (Message-ID, else content hash, is the idempotency key);
  `acknowledged` says whether an acknowledgement was queued (never for automatic mail, and at
  most UNLOCKDESK_ACKS_PER_HOUR per address).
- duplicate: seen before; nothing changed.
- ignored: automatic mail, never answered. An auto-reply that continues one of the sender's
  tickets is stored on it (`ticket` set) so the agent sees it; one that continues nothing is
  not stored. A bounce is recorded as the delivery failure of the message it bounces and is
  not stored itself. Our own mail coming back is dropped.
- rejected: malformed or too large; `reason` says why; nothing stored.

Secrets are redacted through safety.services before anything is stored: text, quoted history,
names, kept headers, text attachments, and the original message (intake.mail.original: every
header and part redacted, attachment contents left out), which is written in the same
transaction as the message it belongs to.
"""

from dataclasses import asdict, dataclass, replace
from typing import Literal

from django.conf import settings
from django.utils import timezone

from unlockdesk.intake.mail import ours
from unlockdesk.intake.mail.models import OriginalMail
from unlockdesk.intake.mail.original import redacted_original
from unlockdesk.intake.mail.parse import MalformedMail, ParsedMail, parse_bytes
from unlockdesk.safety import services as safety
from unlockdesk.tickets import attachments as attachment_rules
from unlockdesk.tickets.numbering import find_in
from unlockdesk.tickets.services import Receipt, receive, record_bounce
from unlockdesk.tickets.types import (
    Channel,
    IdentityKind,
    InboundAttachment,
    InboundMessage,
    SenderIdentity,
)

Status = Literal["created", "appended", "duplicate", "ignored", "rejected"]


@dataclass(frozen=True)
class IngestResult:
    status: Status
    message_id: str = ""
    ticket: str | None = None
    acknowledged: bool = False
    reason: str = ""

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def ingest(raw: bytes, *, source: str = "file", acknowledge: bool = True) -> IngestResult:
    """Take one RFC 822 message into the desk; safe to call again with the same bytes.

    `acknowledge=False` stores without answering (importing history from another desk).
    """
    limit = settings.UNLOCKDESK_EMAIL_MAX_BYTES
    if len(raw) > limit:
        return IngestResult("rejected", reason=f"message larger than {limit // (1024 * 1024)} MB")
    try:
        parsed = parse_bytes(raw)
    except MalformedMail as exc:
        return IngestResult("rejected", reason=str(exc))
    if ours.is_ours(parsed.message_id) or parsed.sender_address == settings.DEFAULT_FROM_EMAIL.lower():
        return IngestResult("ignored", parsed.message_id, reason="our own message came back")
    if parsed.bounce is not None:
        return _bounce(parsed)
    inbound = to_inbound(parsed, source=source)
    if inbound.is_auto_reply:
        return _auto_reply(inbound, parsed, raw)
    if not acknowledge:
        inbound = replace(inbound, is_auto_reply=True)  # the pipeline's "do not answer" switch
    receipt = _receive(inbound, raw, parsed)
    return IngestResult(receipt.status, parsed.message_id, receipt.ticket_number,
                        receipt.acknowledged, _reason(receipt.flags, receipt.rejected_attachments))


def to_inbound(parsed: ParsedMail, *, source: str = "") -> InboundMessage:
    """The pipeline's view of a parsed mail.

    Text, subject and HTML are redacted by the pipeline itself (which flags the ticket and
    drops HTML that held a secret); what it does not scan is redacted here: the sender's name,
    the kept headers and text attachments. `quote_offset` indexes the redacted text.
    """
    quote_offset = None if parsed.quote_offset is None else len(_redact(parsed.text[:parsed.quote_offset]))
    headers = {name: _redact(value) for name, value in parsed.headers.items()}
    if quote_offset is not None:
        headers["quote_offset"] = str(quote_offset)
    if source:
        headers["source"] = source
    if parsed.auto_reply:
        headers["auto_reply"] = parsed.auto_reply
    return InboundMessage(
        channel=Channel.EMAIL,
        external_id=parsed.external_id,
        sender=SenderIdentity(IdentityKind.EMAIL, parsed.sender_address,
                              display_name=_redact(parsed.sender_name)),
        text=parsed.text,
        subject=parsed.subject[:255],
        html=parsed.html,
        attachments=tuple(_redacted_attachment(item) for item in parsed.attachments),
        references=parsed.references,
        received_at=parsed.date or timezone.now(),
        ticket_number=ours.ticket_number_for(parsed.references) or find_in(parsed.subject),
        headers=headers,
        is_auto_reply=bool(parsed.auto_reply),
        # A Message-ID is its sender's: the same id from another address is another message.
        alternate_id=f"sha256:{parsed.content_hash}",
    )


def _receive(inbound: InboundMessage, raw: bytes, parsed: ParsedMail) -> Receipt:
    """The pipeline's receive(), which stores the redacted original in its own transaction: a
    worker killed in between leaves neither."""
    original = redacted_original(raw, parsed.message)
    if original is None:
        return receive(inbound)

    def keep(message_id: int) -> None:
        OriginalMail.objects.create(message_id=message_id, eml=original, received_bytes=len(raw))

    return receive(inbound, keep=keep)


def _redact(text: str) -> str:
    return safety.scan_inbound(text).redacted if text else text


def _redacted_attachment(item: InboundAttachment) -> InboundAttachment:
    """Text files are scanned like the body; images and PDFs are kept as sent."""
    if attachment_rules.sniff(item.content) != "text/plain":
        return item
    text = item.content.decode("utf-8")
    redacted = _redact(text)
    return item if redacted == text else replace(item, content=redacted.encode("utf-8"))


def _bounce(parsed: ParsedMail) -> IngestResult:
    assert parsed.bounce is not None
    bounce = parsed.bounce
    outcome = record_bounce(channel=Channel.EMAIL, address_kind=IdentityKind.EMAIL,
                            message_pks=ours.message_pks(bounce.original_ids),
                            recipients=bounce.addresses, diagnostic=bounce.diagnostic)
    if outcome.recorded:
        return IngestResult("ignored", parsed.message_id, outcome.ticket_number,
                            reason=f"bounce recorded as a delivery failure: {parsed.bounce.diagnostic}")
    if outcome.ticket_number:
        return IngestResult("duplicate", parsed.message_id, outcome.ticket_number,
                            reason="bounce already recorded")
    return IngestResult("ignored", parsed.message_id, reason="bounce of a message we did not send")


def _auto_reply(inbound: InboundMessage, parsed: ParsedMail, raw: bytes) -> IngestResult:
    """Automatic mail is stored only on a ticket of its sender's that it continues; the
    pipeline decides which (`continues_only`), and never answers it."""
    receipt = _receive(replace(inbound, continues_only=True), raw, parsed)
    if receipt.status == "ignored":
        return IngestResult("ignored", parsed.message_id,
                            reason=f"automatic mail ({parsed.auto_reply}) continues no ticket: not stored")
    if receipt.status == "duplicate":
        return IngestResult("duplicate", parsed.message_id, receipt.ticket_number)
    return IngestResult("ignored", parsed.message_id, receipt.ticket_number, False,
                        f"automatic mail ({parsed.auto_reply}): stored on the ticket, not answered")


def _reason(flags: tuple[str, ...], rejected: tuple[str, ...]) -> str:
    parts = [f"flag: {flag}" for flag in flags if flag in {"quoted_foreign_ticket", "secret_redacted"}]
    parts += [f"attachment rejected: {item}" for item in rejected]
    return "; ".join(parts)
