"""What a tag may be: lower case, letters (any script), digits, '-' and '_', at most 40 long.

One rule for the console, the API and imports, so "VIP", " vip " and "vip" are one tag and a
tag never carries markup or spaces that would break a filter link.
"""

import re
from collections.abc import Iterable

MAX_LENGTH = 40
MAX_PER_TICKET = 20
_TAG = re.compile(r"[^\W_][\w-]*")


class InvalidTag(ValueError):
    """A tag that breaks the rule, or too many of them; the message says which."""


def normalize(name: str) -> str:
    tag = re.sub(r"\s+", "-", name.strip().lower())
    if not tag or len(tag) > MAX_LENGTH or not _TAG.fullmatch(tag):
        raise InvalidTag(f"{name[:50]!r} is not a tag: letters, digits, '-' and '_' only, "
                         f"at most {MAX_LENGTH} long")
    return tag


def normalize_all(names: Iterable[str]) -> list[str]:
    """Each name normalised, duplicates dropped, order kept; at most MAX_PER_TICKET."""
    tags = list(dict.fromkeys(normalize(name) for name in names))
    if len(tags) > MAX_PER_TICKET:
        raise InvalidTag(f"at most {MAX_PER_TICKET} tags on a ticket")
    return tags
