"""Simplified and Traditional Chinese: which one a customer writes, and conversion between them.

Customers in Hong Kong, Taiwan and abroad write Traditional (帳戶被凍結). Rules, keywords and
help articles are kept once, in Simplified; a Traditional text is matched after conversion and a
Traditional reader is answered in Traditional. OpenCC does the conversion with phrase tables
(登入 <-> 登录, 軟體 <-> 软件), which a character map alone gets wrong.
"""

from collections.abc import Iterable
from functools import cache

import opencc
from django.utils.translation import get_language

SIMPLIFIED = "zh-hans"
TRADITIONAL = "zh-hant"

# OpenCC keeps the variant 帐 where mainland usage has 账, and the reverse for Taiwan usage.
_SIMPLIFIED_USAGE = (("帐户", "账户"), ("帐号", "账号"), ("帐单", "账单"))
_TRADITIONAL_USAGE = (("賬戶", "帳戶"), ("賬號", "帳號"), ("賬單", "帳單"))


@cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def load() -> None:
    """Read every conversion table now (a few hundred ms), not on a customer's first message."""
    for config in ("tw2sp", "s2twp", "t2s", "s2t"):
        _converter(config)


def to_simplified(text: str) -> str:
    """Traditional (any region's usage) to mainland Simplified; Simplified text is unchanged."""
    out = _converter("tw2sp").convert(text)
    for variant, usual in _SIMPLIFIED_USAGE:
        out = out.replace(variant, usual)
    return out


def to_traditional(text: str) -> str:
    """Simplified to Traditional with Taiwan's phrasing, the form most overseas readers know."""
    out = _converter("s2twp").convert(text)
    for variant, usual in _TRADITIONAL_USAGE:
        out = out.replace(variant, usual)
    return out


def is_traditional(text: str) -> bool:
    """True when the text is written in Traditional characters: more of them change on the way
    to Simplified than the other way round (most characters are the same in both)."""
    if not text:
        return False
    to_s = _converter("t2s").convert(text)
    to_t = _converter("s2t").convert(text)
    changed_to_s = sum(a != b for a, b in zip(text, to_s, strict=False))
    changed_to_t = sum(a != b for a, b in zip(text, to_t, strict=False))
    return changed_to_s > changed_to_t


def script_of(text: str) -> str:
    """zh-hant or zh-hans for a Chinese text."""
    return TRADITIONAL if is_traditional(text) else SIMPLIFIED


def for_reader(text: str, language: str | None) -> str:
    """Text kept in Simplified, as a zh-hant reader should see it."""
    return to_traditional(text) if (language or "").lower() == TRADITIONAL else text


def list_of(items: Iterable[object], language: str | None = None) -> str:
    """Items as the language lists them: 登录、提币 in Chinese, "log in, withdraw" otherwise
    (the active language unless one is given)."""
    language = (get_language() or "") if language is None else language
    return ("、" if language.startswith("zh") else ", ").join(str(item) for item in items)
