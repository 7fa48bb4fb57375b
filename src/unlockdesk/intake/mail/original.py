"""The original of an inbound mail as the desk keeps it: every header and the MIME structure as
received, with secrets redacted and attachment contents left out.

Agents need the original to judge a message (Received and Authentication-Results headers,
what the customer's client really sent), and imports from another desk need it for fidelity.
It is the one copy of the raw message the desk stores, so the same scanner that cleans the
ticket text runs over every header value, every text and HTML part, text attachments and the
MIME preamble. Attachment contents are not repeated: each is stored once as the message's
attachment (sniffed, size-limited) or was refused; the part keeps its headers and a note with
the size and SHA-256 of what it held. Parts that needed no change keep their bytes.
"""

import hashlib
import html
import logging
from email import message_from_bytes
from email.header import Header
from email.message import Message
from email.utils import formataddr, getaddresses

from unlockdesk.intake.mail import charsets, sanitize
from unlockdesk.intake.mail.parse import decode_header_value
from unlockdesk.safety import services as safety

log = logging.getLogger(__name__)

OMITTED_HEADER = "X-Unlockdesk-Omitted"
REDACTED_HEADER = "X-Unlockdesk-Redacted"
_ADDRESS_HEADERS = {"from", "to", "cc", "bcc", "reply-to", "sender", "resent-from", "resent-to",
                    "resent-cc", "resent-sender"}


def redacted_original(raw: bytes, parsed: Message | None = None) -> bytes | None:
    """The storable original of `raw`; None when it cannot be rebuilt safely (never raises).

    `parsed`: `raw` already parsed with the compat32 policy (parse_bytes's), which this
    rewrites in place, so the caller must be done with it. A message with no secret and no
    attachment is kept as the very bytes received.
    """
    try:
        message = message_from_bytes(raw) if parsed is None else parsed
        changed = omitted = False
        for part in message.walk():
            changed |= _redact_headers(part)
            if part.is_multipart():
                changed |= _redact_preamble(part)
            elif part.get_content_maintype() in ("text", "message"):
                changed |= _redact_text(part)
            else:
                _omit(part)
                omitted = True
        if not (changed or omitted):
            return raw
        if changed:
            message[REDACTED_HEADER] = "yes"
        return message.as_bytes()
    except Exception:  # a shape the rebuild cannot handle: keep no original rather than a leaky one
        log.exception("could not rebuild a redacted original of an inbound mail")
        return None


def _clean(text: str) -> str | None:
    """The redacted text, or None when `text` holds no secret."""
    result = safety.scan_inbound(text)
    return result.redacted if result.findings else None


def _redact_headers(part: Message) -> bool:
    items = list(part.raw_items())
    if _clean("\n".join(decode_header_value(value) for _name, value in items)) is None:
        return False  # the common case, in one scan
    rewritten: list[tuple[str, str]] = []
    changed = False
    for name, value in items:
        redacted = _redacted_header(name, value)
        rewritten.append((name, value if redacted is None else redacted))
        changed |= redacted is not None
    if changed:
        for name in {name.lower() for name, _value in items}:
            del part[name]
        for name, value in rewritten:
            part[name] = value
    return changed


def _redacted_header(name: str, value: str) -> str | None:
    """The header value with its secrets redacted, or None when it holds none. Address headers
    keep their addresses usable: only the display names are rewritten."""
    if _clean(decode_header_value(value)) is None:
        return None
    if name.lower() in _ADDRESS_HEADERS:
        pairs = getaddresses([value])
        names = [_clean(decode_header_value(display)) for display, _address in pairs]
        if pairs and all(_clean(address) is None for _display, address in pairs):
            return ", ".join(
                formataddr((display if clean is None else clean, address), charset="utf-8")
                for (display, address), clean in zip(pairs, names, strict=True))
    redacted = safety.scan_inbound(decode_header_value(value)).redacted
    return redacted if redacted.isascii() else Header(redacted, "utf-8", header_name=name).encode()


def _redact_preamble(part: Message) -> bool:
    changed = False
    for attribute in ("preamble", "epilogue"):
        text = getattr(part, attribute, None)
        if text and _clean(text) is not None:
            setattr(part, attribute, None)
            changed = True
    return changed


def _redact_text(part: Message) -> bool:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return False
    text = charsets.decode(payload, part.get_content_charset())
    if part.get_content_subtype() == "html":
        visible = sanitize.html_to_text(sanitize.clean_html(text))
        if _clean(text) is None and _clean(visible) is None:
            return False
        # As on the ticket: HTML that held a secret is replaced by its redacted text.
        replacement = "<pre>" + html.escape(safety.scan_inbound(visible).redacted) + "</pre>"
    else:
        redacted = _clean(text)
        if redacted is None:
            return False
        replacement = redacted
    del part["Content-Transfer-Encoding"]
    part.set_payload(replacement, charset="utf-8")
    return True


def _omit(part: Message) -> None:
    payload = part.get_payload(decode=True)
    content = payload if isinstance(payload, bytes) else b""
    del part["Content-Transfer-Encoding"]
    part.set_payload("")
    part[OMITTED_HEADER] = f"{len(content)} bytes, sha256 {hashlib.sha256(content).hexdigest()}"
