"""The highlighted line under each search result: where the query's words occur in the text."""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BEFORE = 50
LENGTH = 180


def highlight(text: str, terms: list[str]) -> SafeString | None:
    """A window of `text` around the first term found, terms in <mark>; None if none occurs.

    Everything else is HTML-escaped: the text is a customer's and may hold markup.
    """
    if not terms:
        return None
    # An English stem marks the whole word it starts (`withdraw` -> `withdrawals`).
    pattern = re.compile("|".join(re.escape(t) + ("[a-z]*" if t.isascii() and t.isalpha() else "")
                                  for t in terms), re.IGNORECASE)
    first = pattern.search(text)
    if first is None:
        return None
    start = max(0, first.start() - BEFORE)
    window = " ".join(text[start : start + LENGTH].split())
    parts: list[str] = ["…" if start else ""]
    last = 0
    for match in pattern.finditer(window):
        parts += [escape(window[last : match.start()]), f"<mark>{escape(match.group(0))}</mark>"]
        last = match.end()
    parts.append(escape(window[last:]))
    if start + LENGTH < len(text):
        parts.append("…")
    return mark_safe("".join(parts))  # noqa: S308 - every piece above is escaped
