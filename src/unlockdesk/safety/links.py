"""Links, addresses and handles inside a customer's message, checked like the public verifier does.

A message that carries `okx-support.com`, `okx.help@gmail.com` or `@okx_support_help` is
usually a customer forwarding what a scammer sent them: the agent must see it and the
customer must be warned. A handle is judged on every social platform we know, like a domain.
"""

import re

from unlockdesk.safety import lookalike
from unlockdesk.safety.verifier import WIDE_STOPS, Answer, verify_all

MAX_LINKS = 20

# "0kx。com": an ideographic or full-width stop between Latin letters is a dot to a browser
# (UTS #46), so a scammer's link written that way must be found. Between Chinese text it ends a
# sentence and stays as it is.
_WIDE_DOT = re.compile(rf"(?<=[A-Za-z0-9\-])[{WIDE_STOPS}](?=[A-Za-z0-9\-]*[A-Za-z])")

_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'，。、）)】]+", re.IGNORECASE)
# The lookbehind makes a long run without "@" cost one attempt, not one per character.
_EMAIL = re.compile(
    r"(?<![\w.+\-\u00a1-\uffff])[\w.+\-\u00a1-\uffff]+@[\w\-\u00a1-\uffff]+(?:\.[\w\-\u00a1-\uffff]+)+"
)
_BARE_DOMAIN = re.compile(
    r"(?<![\w@./\-])(?:[a-z0-9\u00a1-\u2fff\uff00-\uffef](?:[a-z0-9\u00a1-\u2fff\uff00-\uffef-]{0,61}"
    r"[a-z0-9\u00a1-\u2fff\uff00-\uffef])?\.)+(?:[a-z]{2,24}|xn--[a-z0-9-]{2,59})(?![\w@\-])",
    re.IGNORECASE,
)
# "@okx_support_help": not the "@" of an email address (no word character just before it).
_HANDLE = re.compile(r"(?<![\w.+\-@])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,62}[A-Za-z0-9_])?(?![\w@])")


def candidates(text: str) -> list[str]:
    """URLs, email addresses, bare domain names and @handles in `text`, without repeats."""
    text = _WIDE_DOT.sub(".", text)
    found: list[str] = []
    spans: list[tuple[int, int]] = []
    for pattern in (_URL, _EMAIL, _BARE_DOMAIN, _HANDLE):
        for match in pattern.finditer(text):
            if any(a <= match.start() < b for a, b in spans):
                continue
            spans.append((match.start(), match.end()))
            found.append(match.group().rstrip(".,;:!?"))
    return list(dict.fromkeys(found))[:MAX_LINKS]


def lookalikes_in(text: str) -> list[Answer]:
    """Every link or address in `text` that imitates ours or was reported as a scam."""
    checked = []
    for candidate in candidates(text):
        host = candidate.split("@")[-1] if "://" not in candidate else candidate
        is_handle = candidate.startswith("@")
        if not is_handle and "." not in lookalike.decode_host(host.split("/")[0]) and "://" not in candidate:
            continue
        checked.append(candidate)
    return [answer for answer in verify_all(checked)
            if answer is not None and answer.verdict == "lookalike"]
