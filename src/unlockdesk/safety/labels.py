"""Secrets removed from a message, said in words: the stored text keeps a typed placeholder
(`[REDACTED:password]`), which a customer or agent should never have to decode."""

import re

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from unlockdesk.safety.notices import KIND_LABELS

_PLACEHOLDER = re.compile(r"\[REDACTED:([a-z_]+)\]")


def secret_kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, KIND_LABELS["high_entropy"]))


def secret_kinds_label(kinds: list[str] | tuple[str, ...]) -> str:
    """Several kinds in one phrase, with the list separator of the active language (、 in Chinese)."""
    separator = "、" if (get_language() or "").startswith("zh") else ", "
    return separator.join(secret_kind_label(kind) for kind in kinds)


def redactions_in_words(text: str) -> str:
    """The text with each placeholder replaced by a sentence that says what was removed and why,
    in the active language."""
    def words(match: re.Match[str]) -> str:
        return "[" + _("removed: %(what)s. We never store it and support never asks for it") % {
            "what": secret_kind_label(match.group(1))} + "]"
    return _PLACEHOLDER.sub(words, text)
