"""Mail that must never be answered: auto-replies, mailing-list traffic and bounces (DSN).

Answering an out-of-office with an acknowledgement that triggers another out-of-office is
how mail loops start; `auto_reply_reason` says why a message is automatic (or '' when a
person wrote it), `bounce_of` recognises delivery-status notifications and finds which of
our messages bounced.
"""

import re
from dataclasses import dataclass
from email.message import EmailMessage

_PRECEDENCE = {"bulk", "junk", "list", "auto_reply", "auto-reply"}
_AUTO_SUBJECT = re.compile(
    r"^\s*(?:auto(?:matic)?[ -]?reply|auto:|out of (?:the )?office|自动回复|自動回覆|自动答复)",
    re.IGNORECASE,
)
_DAEMON = re.compile(r"^(?:mailer-daemon|postmaster|mail-daemon|mailer_daemon)@", re.IGNORECASE)
_DSN_SUBJECT = re.compile(
    r"(?:undeliver|delivery status notification|returned mail|delivery failure|failure notice"
    r"|退信|系统退信|无法投递)",
    re.IGNORECASE,
)
_ORIGINAL_PARTS = ("message/rfc822", "text/rfc822-headers", "message/rfc822-headers")
MESSAGE_ID = re.compile(r"<[^<>\s]+@[^<>\s]+>")
_ADDRESS = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")


@dataclass(frozen=True)
class Bounce:
    """A delivery-status notification: the Message-IDs it reports on, the server's words and
    every address it names (Final-Recipient, the returned headers, the text), lower case."""

    original_ids: tuple[str, ...]
    diagnostic: str
    addresses: frozenset[str] = frozenset()


def auto_reply_reason(message: EmailMessage, sender: str, subject: str) -> str:
    """Why `message` was sent by a machine ('' for a person): RFC 3834 and common practice."""
    auto_submitted = str(message.get("Auto-Submitted", "")).strip().lower()
    if auto_submitted and auto_submitted != "no":
        return f"Auto-Submitted: {auto_submitted[:40]}"
    if str(message.get("Return-Path", "")).strip() == "<>":
        return "null Return-Path"  # RFC 3834 2: a message with no return path is never answered
    precedence = str(message.get("Precedence", "")).strip().lower()
    if precedence in _PRECEDENCE:
        return f"Precedence: {precedence}"
    for name in ("X-Autoreply", "X-Autorespond", "X-Autoresponder", "X-Auto-Reply"):
        if message.get(name) is not None:
            return name
    if message.get("List-Id") is not None or message.get("List-Unsubscribe") is not None:
        return "mailing list"
    if _DAEMON.match(sender):
        return "mailer daemon"
    if _AUTO_SUBJECT.match(subject):
        return "auto-reply subject"
    return ""


def bounce_of(message: EmailMessage, sender: str, subject: str) -> Bounce | None:
    """The DSN reading of `message`, or None when it is not a bounce."""
    is_report = (
        message.get_content_type() == "multipart/report"
        and str(message.get_param("report-type", "")).lower() == "delivery-status"
    )
    if not is_report and not (_DAEMON.match(sender) and _DSN_SUBJECT.search(subject)):
        return None
    ids: list[str] = []
    diagnostic: list[str] = []
    addresses: set[str] = set()
    for part in message.walk():
        kind = part.get_content_type()
        if kind == "message/delivery-status":
            for block in part.get_payload():
                for key in ("Status", "Diagnostic-Code", "Action", "Final-Recipient",
                            "Original-Recipient"):
                    value = block.get(key) if hasattr(block, "get") else None
                    if value and key.endswith("Recipient"):
                        addresses.update(a.lower() for a in _ADDRESS.findall(str(value)))
                    elif value:
                        diagnostic.append(f"{key}: {value}")
        elif kind in _ORIGINAL_PARTS or kind == "text/plain":
            text = _text_of(part)
            addresses.update(a.lower() for a in _ADDRESS.findall(text))
            if kind in _ORIGINAL_PARTS or not ids:
                ids += MESSAGE_ID.findall(text)
    unique = tuple(dict.fromkeys(i for i in ids if i != str(message.get("Message-ID", "")).strip()))
    return Bounce(unique, "; ".join(diagnostic)[:250] or "bounced", frozenset(addresses))


def _text_of(part: EmailMessage) -> str:
    inner = part.get_payload()
    if isinstance(inner, list):
        return "\n".join(str(p) for p in inner)
    payload = part.get_payload(decode=True)
    if isinstance(payload, bytes):
        return payload.decode("utf-8", errors="replace")
    return str(inner)
