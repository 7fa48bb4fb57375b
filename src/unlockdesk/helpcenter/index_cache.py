"""One search index per language and process, rebuilt when the published articles change.

Each lookup compares a cheap database signature (how many published translations, newest
change) with the one the cached index was built from, so an edit made by another process
is seen on the next search; services also drop the cache on commit for their own process.
"""

import threading
from typing import Any

from django.conf import settings
from django.db.models import Count, Max

from unlockdesk.helpcenter import markup
from unlockdesk.helpcenter.models import Status, Translation
from unlockdesk.helpcenter.search import Analyzer, Document, SearchIndex

_lock = threading.Lock()
_indexes: dict[str, tuple[tuple[Any, ...], SearchIndex]] = {}
_analyzer: Analyzer | None = None
_building: dict[str, threading.Lock] = {}


def analyzer() -> Analyzer:
    """The process's analyzer (loading jieba's dictionary takes about a second, once)."""
    global _analyzer
    with _lock:
        if _analyzer is None:
            _analyzer = Analyzer()
        return _analyzer


def _signature(language: str) -> tuple[Any, ...]:
    row = Translation.objects.filter(language=language, status=Status.PUBLISHED).aggregate(
        n=Count("id"), last=Max("updated_at"))
    return (row["n"], row["last"])


def documents(language: str) -> list[Document]:
    """The published translations in `language`, placeholders filled, Markdown stripped."""
    values = markup.placeholder_values(settings.BRAND, language, settings.SITE_URL)
    rows = (Translation.objects.filter(language=language, status=Status.PUBLISHED)
            .select_related("article__category").order_by("article__position", "article__slug"))
    return [
        Document(key=row.article.slug, title=markup.fill(row.title, values),
                 body=markup.plain_text(markup.fill(row.body, values)),
                 category=row.article.category.slug)
        for row in rows
    ]


def index_for(language: str) -> SearchIndex:
    """The current index of `language`; concurrent requests wait for one build, not start many."""
    signature = _signature(language)
    cached = _indexes.get(language)
    if cached is not None and cached[0] == signature:
        return cached[1]
    with _lock:
        building = _building.setdefault(language, threading.Lock())
    with building:
        cached = _indexes.get(language)
        if cached is not None and cached[0] == signature:
            return cached[1]
        index = SearchIndex(documents(language), analyzer())
        with _lock:
            _indexes[language] = (signature, index)
    return index


def invalidate() -> None:
    """Forget every cached index of this process (the next search rebuilds)."""
    with _lock:
        _indexes.clear()
