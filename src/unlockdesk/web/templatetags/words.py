"""Lists said the way each language says them: 登录、提币 in Chinese, "log in, withdraw" in English."""

from collections.abc import Iterable

from django import template
from django.utils.translation import get_language

from unlockdesk.accounts.types import Restriction

register = template.Library()


@register.filter
def join_words(items: Iterable[object]) -> str:
    separator = "、" if (get_language() or "").startswith("zh") else ", "
    return separator.join(str(item) for item in items)


@register.filter
def restriction_words(codes: Iterable[str]) -> str:
    """Stored restriction codes (login, withdraw ...) as the reader's words, listed."""
    labels = dict(Restriction.choices)
    return join_words(labels.get(code, code) for code in codes)
