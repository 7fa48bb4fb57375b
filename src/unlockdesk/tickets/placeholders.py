"""The placeholders a macro may hold, and filling them in.

`{{customer_name}}`, `{{ticket_number}}`, `{{agent_number}}` and `{{lock_reason}}`, or their
Chinese names (`{{客户姓名}}`, `{{工单号}}`, `{{工号}}`, `{{锁定原因}}`), spaces inside the braces
allowed. One rule for saving and for sending: a macro with a misspelt placeholder is refused
when saved, so a customer never reads `{{custmer_name}}`.
"""

import re
from collections.abc import Mapping

NAMES = ("customer_name", "ticket_number", "agent_number", "lock_reason")
ALIASES = {"客户姓名": "customer_name", "工单号": "ticket_number", "工号": "agent_number",
           "锁定原因": "lock_reason"}
_PLACEHOLDER = re.compile(r"\{\{\s*([^{}\s]{1,40})\s*\}\}")


def canonical(name: str) -> str | None:
    """The placeholder's English name, or None when it is not one."""
    if name in NAMES:
        return name
    return ALIASES.get(name)


def unknown_in(text: str) -> list[str]:
    """Placeholders in `text` that are not ours, in order, without repeats."""
    found = [m.group(1) for m in _PLACEHOLDER.finditer(text or "")]
    return list(dict.fromkeys(name for name in found if canonical(name) is None))


def fill(text: str, values: Mapping[str, str]) -> str:
    """`text` with each known placeholder replaced by its value (empty when there is none)."""

    def value(match: re.Match[str]) -> str:
        name = canonical(match.group(1))
        return match.group(0) if name is None else values.get(name, "")

    return _PLACEHOLDER.sub(value, text)
