"""Ticket numbers customers can quote: `UD-7K3F9X`, random, not sequential, not guessable.

Crockford base32 (no I, L, O, U), six symbols: about a billion numbers. Typed numbers are
read forgivingly (lower case, spaces, O for 0, I/L for 1, missing prefix). A number alone
never grants access; it only names a ticket.
"""

import re
import secrets

from django.conf import settings

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 6


def new_number() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{settings.BRAND.ticket_prefix}-{body}"


def pattern() -> re.Pattern[str]:
    prefix = re.escape(settings.BRAND.ticket_prefix)
    return re.compile(rf"\b{prefix}-([0-9A-Za-z]{{{LENGTH}}})\b", re.IGNORECASE)


def normalize(typed: str) -> str:
    """Canonical form of a typed number, or '' when it cannot be one."""
    prefix = settings.BRAND.ticket_prefix.upper()
    text = re.sub(r"[\s\-_]", "", typed.upper())
    if text.startswith(prefix):
        text = text[len(prefix) :]
    text = text.translate(str.maketrans("OIL", "011"))
    if len(text) != LENGTH or any(ch not in ALPHABET for ch in text):
        return ""
    return f"{prefix}-{text}"


def find_in(text: str) -> str:
    """The first ticket number quoted in a subject or body, normalised, or ''."""
    match = pattern().search(text)
    return normalize(match.group(0)) if match else ""
