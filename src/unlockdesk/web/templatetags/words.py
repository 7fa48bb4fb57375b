"""Lists said the way each language says them: 登录、提币 in Chinese, "log in, withdraw" in English."""

from collections.abc import Iterable

from django import template

from unlockdesk.accounts.types import Restriction
from unlockdesk.chinese import list_of

register = template.Library()


@register.filter
def join_words(items: Iterable[object]) -> str:
    return list_of(items)


@register.filter
def restriction_words(codes: Iterable[str]) -> str:
    """Stored restriction codes (login, withdraw ...) as the reader's words, listed."""
    labels = dict(Restriction.choices)
    return join_words(labels.get(code, code) for code in codes)
