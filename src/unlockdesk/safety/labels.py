"""Secrets removed from a message, said in words: the stored text keeps a typed placeholder
(`[REDACTED:password]`), which a customer or agent should never have to decode."""

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from unlockdesk.chinese import list_of
from unlockdesk.safety.audit_words import audit_detail_name, audit_detail_value
from unlockdesk.safety.notices import KIND_LABELS

_PLACEHOLDER = re.compile(r"\[REDACTED:([a-z_]+)\]")


def secret_kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, KIND_LABELS["high_entropy"]))


def secret_kinds_label(kinds: list[str] | tuple[str, ...]) -> str:
    """Several kinds in one phrase, with the list separator of the active language (、 in Chinese)."""
    return list_of(secret_kind_label(kind) for kind in kinds)


_TARGET_KINDS = {
    "agent": gettext_lazy("Agent"), "account": gettext_lazy("Account"),
    "application": gettext_lazy("Unlock application"), "evidence": gettext_lazy("Evidence"),
    "ticket": gettext_lazy("Ticket"), "message": gettext_lazy("Message"),
    "contact": gettext_lazy("Contact"), "report": gettext_lazy("Scam report"),
}


def audit_target(target: str) -> str:
    """`application:12` -> "Unlock application 12": the kind in words, the id as it is."""
    kind, sep, ident = target.partition(":")
    return f"{_TARGET_KINDS[kind]} {ident}" if sep and kind in _TARGET_KINDS else target


def audit_details(details: dict[str, object] | None) -> list[tuple[str, str]]:
    """An audit entry's details as "name: value" lines in words, not a Python dict."""
    return [(audit_detail_name(key), audit_detail_value(value, key))
            for key, value in (details or {}).items()]


def redactions_in_words(text: str) -> str:
    """The text with each placeholder replaced by a sentence that says what was removed and why,
    in the active language."""
    def words(match: re.Match[str]) -> str:
        return "[" + _("removed: %(what)s. We never store it and support never asks for it") % {
            "what": secret_kind_label(match.group(1))} + "]"
    return _PLACEHOLDER.sub(words, text)
