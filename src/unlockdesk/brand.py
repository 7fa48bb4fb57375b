"""Every brand-specific word, domain and phrase, read from the environment.

The defaults are the demo exchange (欧易 / OKX). Code never spells a brand itself: it asks
`brand()`, so another exchange is a matter of environment variables.
"""

import os
from dataclasses import dataclass, field
from functools import lru_cache

from django.utils.translation import get_language


def _list(value: str) -> tuple[str, ...]:
    return tuple(item.strip().lower() for item in value.split(",") if item.strip())


@dataclass(frozen=True)
class Brand:
    name_zh: str
    name_en: str
    official_domains: tuple[str, ...]
    brand_words: tuple[str, ...]
    note_phrase: str
    support_email: str
    ticket_prefix: str
    # The brand's own social accounts per platform ("telegram", "x", "facebook"): lower case,
    # no "@". The help center advertises them, so the verifier must know them from the start.
    official_handles: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def name(self, language: str) -> str:
        return self.name_zh if language.startswith("zh") else self.name_en

    def name_here(self) -> str:
        """The name in the active language: Chinese text names the brand 欧易, not OKX."""
        return self.name(get_language() or "zh-hans")

    def handles(self, platform: str) -> tuple[str, ...]:
        return self.official_handles.get(platform, ())


def _handles(value: str) -> tuple[str, ...]:
    return tuple(handle.lstrip("@") for handle in _list(value))


@lru_cache(maxsize=1)
def brand() -> Brand:
    env = os.environ.get
    domains = _list(env("UNLOCKDESK_OFFICIAL_DOMAINS", "okx.com,okx.cn,okex.com"))
    return Brand(
        name_zh=env("UNLOCKDESK_BRAND_NAME_ZH", "欧易"),
        name_en=env("UNLOCKDESK_BRAND_NAME_EN", "OKX"),
        official_domains=domains,
        brand_words=_list(env("UNLOCKDESK_BRAND_WORDS", "okx,okex,欧易")),
        note_phrase=env("UNLOCKDESK_NOTE_PHRASE", "仅用于欧易账户解锁"),
        support_email=env("UNLOCKDESK_SUPPORT_EMAIL", f"support@{domains[0]}"),
        ticket_prefix=env("UNLOCKDESK_TICKET_PREFIX", "UD"),
        official_handles={
            "telegram": _handles(env("UNLOCKDESK_OFFICIAL_TELEGRAM", "OKXOfficial_English")),
            "x": _handles(env("UNLOCKDESK_OFFICIAL_X", "okx")),
            "facebook": _handles(env("UNLOCKDESK_OFFICIAL_FACEBOOK", "okxofficial")),
        },
    )
