"""Types other apps use: search hits and the channel recommendation."""

from dataclasses import dataclass, field
from enum import StrEnum


class Language(StrEnum):
    ZH_HANS = "zh-hans"
    EN = "en"


@dataclass(frozen=True)
class SearchHit:
    """One help article found for a query. `title_html` and `snippet_html` are escaped HTML
    with <mark> around the matched words; `url` is site-relative (prefix SITE_URL for mail)."""

    title: str
    slug: str
    score: float
    url: str
    language: str
    category: str = ""
    title_html: str = ""
    snippet_html: str = ""


class Urgency(StrEnum):
    URGENT = "urgent"      # account stolen or funds at risk
    COMPLEX = "complex"    # a case that needs documents
    SIMPLE = "simple"      # a question


@dataclass(frozen=True)
class ChannelAction:
    kind: str   # freeze | chat | phone | unlock | email | ticket | article
    label: str
    url: str = ""


@dataclass(frozen=True)
class ChannelAdvice:
    """Which channel fits, and why, in the reader's language."""

    urgency: Urgency
    headline: str
    text: str
    actions: list[ChannelAction] = field(default_factory=list)
