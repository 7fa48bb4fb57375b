"""RFC 822 bytes -> ParsedMail: decoded headers, text, sanitised HTML, attachments, threading
references and what the loop guards need. Pure: no database, no network.

Raises MalformedMail with a reason a person can act on when the bytes are not a message we
can attribute to a sender (no headers, no From address, nothing in it).
"""

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email import policy
from email.errors import HeaderParseError
from email.header import decode_header
from email.message import EmailMessage, MIMEPart
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr, parsedate_to_datetime

from django.utils import timezone

from unlockdesk.intake.mail import charsets, loops, quotes, sanitize
from unlockdesk.tickets.types import InboundAttachment

MAX_TEXT_CHARS = 100_000
# Real mail nests a few levels (mixed > alternative > related); the standard library walks
# parts recursively, so a message nested hundreds deep would crash it later (as_bytes, walk).
MAX_MIME_DEPTH = 30
_TRACE_HEADERS = ("from", "to", "cc", "date", "subject")
_ENCODED_WORD = re.compile(r"=\?[^?]+\?[bBqQ]\?[^?]*\?=")
_ADDRESS_IN_TEXT = re.compile(r"[^\s<>\"'(),;:@]+@[^\s<>\"'(),;:@]+\.[^\s<>\"'(),;:@]+")


class _Part(EmailMessage):
    """EmailMessage's body finding over compat32 header strings.

    Every header value this module reads goes through decode_header_value, so the default
    policy's header objects were built only to be thrown away, and building them (the parser
    reads each part's Content-Type) was a third of the parse. The two methods below are the
    ones EmailMessage writes for header objects.
    """

    def is_attachment(self) -> bool:
        return self.get_content_disposition() == "attachment"

    def __str__(self) -> str:
        return self.as_string()


class MalformedMail(ValueError):
    """The bytes are not a message we can attribute to a sender; `str(exc)` is the reason."""


@dataclass(frozen=True)
class ParsedMail:
    message_id: str
    content_hash: str
    sender_address: str
    sender_name: str
    recipients: tuple[str, ...]
    subject: str
    text: str
    quote_offset: int | None
    html: str
    attachments: tuple[InboundAttachment, ...]
    references: tuple[str, ...]
    date: datetime | None
    auto_reply: str = ""
    bounce: loops.Bounce | None = None
    headers: dict[str, str] = field(default_factory=dict)
    # The parsed message itself, so the stored original is rebuilt without a second parse
    # (intake.mail.original rewrites it in place: read nothing from it afterwards).
    message: EmailMessage | None = field(default=None, repr=False, compare=False)

    @property
    def external_id(self) -> str:
        """What makes a redelivery a duplicate: the Message-ID, else the content hash."""
        if self.message_id and len(self.message_id) <= 255:
            return self.message_id
        return f"sha256:{self.content_hash}"


def decode_header_value(raw: object) -> str:
    """A header as people read it: RFC 2047 words and raw 8-bit bytes, in any charset."""
    value = str(raw or "")
    if any("\udc80" <= ch <= "\udcff" for ch in value):
        value = charsets.decode(value.encode("ascii", "surrogateescape"))
    if _ENCODED_WORD.search(value):
        try:
            chunks = decode_header(value)
        except (HeaderParseError, ValueError):
            return _single_line(value)
        out = []
        for chunk, charset in chunks:
            if isinstance(chunk, bytes):
                out.append(charsets.decode(chunk, charset) if charset else chunk.decode(
                    "raw-unicode-escape", errors="replace"))
            else:
                out.append(chunk)
        value = "".join(out)
    return _single_line(value)


def _single_line(value: str) -> str:
    return re.sub(r"\s*[\r\n]+\s*", " ", value).strip()


def _raw_headers(message: EmailMessage) -> dict[str, str]:
    """First value of each header exactly as sent (8-bit kept as surrogates)."""
    raw: dict[str, str] = {}
    for name, value in message.raw_items():
        raw.setdefault(name.lower(), str(value))
    return raw


def parse_bytes(raw: bytes) -> ParsedMail:
    """Parse one RFC 822 message; raises MalformedMail (and only that) for bad input."""
    try:
        return _parse(raw)
    except MalformedMail:
        raise
    except RecursionError as exc:
        raise MalformedMail("MIME parts nested too deeply") from exc
    except (ValueError, LookupError, TypeError, AttributeError, IndexError, AssertionError) as exc:
        raise MalformedMail(f"unreadable message ({type(exc).__name__})") from exc


def _parse(raw: bytes) -> ParsedMail:
    if not raw or not raw.strip():
        raise MalformedMail("empty message")
    head = raw.lstrip()[:2000]
    if not re.match(rb"^[!-9;-~]+:", head):
        raise MalformedMail("no RFC 822 header block")
    message = BytesParser(_class=_Part, policy=policy.compat32).parsebytes(raw)
    if not isinstance(message, EmailMessage):
        raise MalformedMail("no RFC 822 header block")
    if _depth(message) > MAX_MIME_DEPTH:
        raise MalformedMail("MIME parts nested too deeply")
    raw_headers = _raw_headers(message)
    address, sender_name = _sender(raw_headers.get("from", ""))
    subject = decode_header_value(raw_headers.get("subject", ""))
    recipients = tuple(
        decode_header_value(addr).lower()
        for _n, addr in getaddresses([raw_headers.get("to", ""), raw_headers.get("cc", "")])
        if addr
    )
    text, html, attachments = _bodies(message)
    if not text.strip() and not attachments and not subject:
        raise MalformedMail("no subject, text or attachment")
    references = _references(raw_headers)
    message_id_match = loops.MESSAGE_ID.search(raw_headers.get("message-id", ""))
    kept: dict[str, str] = {k: decode_header_value(raw_headers[k])[:500] for k in (
        "message-id", "in-reply-to", "from", "to", "cc", "date", "auto-submitted", "precedence",
    ) if k in raw_headers}
    return ParsedMail(
        message_id=message_id_match.group(0) if message_id_match else "",
        content_hash=_content_hash(raw, raw_headers),
        sender_address=address,
        sender_name=sender_name,
        recipients=recipients,
        subject=subject,
        text=text,
        quote_offset=quotes.quote_start(text),
        html=html,
        attachments=attachments,
        references=references,
        date=_date(raw_headers.get("date", "")),
        auto_reply=loops.auto_reply_reason(message, address, subject),
        bounce=loops.bounce_of(message, address, subject),
        headers=kept,
        message=message,
    )


def _depth(message: EmailMessage) -> int:
    """How deep the parts nest, counted without recursion (the check must not be the crash)."""
    deepest = 0
    stack: list[tuple[object, int]] = [(message, 1)]
    while stack:
        part, depth = stack.pop()
        deepest = max(deepest, depth)
        if depth > MAX_MIME_DEPTH:
            break
        if isinstance(part, MIMEPart) and part.is_multipart():
            payload = part.get_payload()
            if isinstance(payload, list):
                stack.extend((child, depth + 1) for child in payload)
    return deepest


def _sender(raw_from: str) -> tuple[str, str]:
    """The one address a message is from, and a display name that cannot pass for another.

    A From that parses to several addresses (`a@x, b@y`, `a@x <b@y>`) is rejected: which one
    is the sender would depend on the parser, and the desk must attribute mail exactly as the
    customer's client shows it. A name that holds an address other than the sender's is
    dropped, so an agent never sees `"owner@example.com" <stranger@example.net>` as the owner.
    """
    found = [(name, addr) for name, addr in getaddresses([raw_from]) if addr]
    if len(found) > 1:
        raise MalformedMail("ambiguous From: more than one address")
    name, address = parseaddr(raw_from)
    address = decode_header_value(address).lower()
    if not address or "@" not in address or " " in address:
        raise MalformedMail("no valid From address")
    display = decode_header_value(name)
    if any(other.lower() != address for other in _ADDRESS_IN_TEXT.findall(display)):
        display = ""
    return address, display


def _bodies(message: EmailMessage) -> tuple[str, str, tuple[InboundAttachment, ...]]:
    plain = message.get_body(preferencelist=("plain",))
    rich = message.get_body(preferencelist=("html",))
    text = _decoded_text(plain) if plain is not None else ""
    html = sanitize.clean_html(_decoded_text(rich)) if rich is not None else ""
    if not text.strip() and html:
        text = sanitize.html_to_text(html)
    attachments: list[InboundAttachment] = []
    for part in message.walk():
        if part.is_multipart() or part is plain or part is rich:
            continue
        if part.get_content_type() in ("message/delivery-status",):
            continue
        content = part.get_payload(decode=True)
        if not isinstance(content, bytes):
            continue
        filename = decode_header_value(part.get_filename() or "")
        disposition = part.get_content_disposition()
        is_inline = disposition == "inline" or (disposition is None and bool(part.get("Content-ID")))
        if not filename:
            if part.get_content_maintype() == "text" and disposition != "attachment":
                continue  # an alternative body we did not pick (e.g. text/enriched)
            filename = "attachment"
        attachments.append(InboundAttachment(filename=filename, content=content,
                                             declared_type=part.get_content_type(),
                                             inline=is_inline))
    return text[:MAX_TEXT_CHARS], html, tuple(attachments)


def _decoded_text(part: MIMEPart) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return str(part.get_payload() or "")
    text = charsets.decode(payload, part.get_content_charset())
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _references(raw_headers: dict[str, str]) -> tuple[str, ...]:
    found = loops.MESSAGE_ID.findall(raw_headers.get("references", ""))
    found += loops.MESSAGE_ID.findall(raw_headers.get("in-reply-to", ""))
    return tuple(dict.fromkeys(ref for ref in found if len(ref) <= 255))[-50:]


def _date(raw: str) -> datetime | None:
    try:
        value = parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        return None
    if value.tzinfo is None:
        return None
    if value > timezone.now() + timedelta(days=1):
        return None
    return value


def _content_hash(raw: bytes, raw_headers: dict[str, str]) -> str:
    """Stable across redelivery: the author's headers and the body, not the trace headers."""
    digest = hashlib.sha256()
    for name in _TRACE_HEADERS:
        digest.update(raw_headers.get(name, "").encode("utf-8", "surrogateescape") + b"\n")
    split = re.search(rb"\r?\n\r?\n", raw)
    body = raw[split.end():] if split else b""
    digest.update(body.replace(b"\r\n", b"\n"))
    return digest.hexdigest()
