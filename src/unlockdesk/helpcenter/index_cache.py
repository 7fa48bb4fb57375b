"""One search index per language and process, rebuilt when the published articles change.

Each lookup compares a cheap database signature (how many published translations, newest
change) with the one the cached index was built from, so an edit made by another process
is seen on the next search; services also drop the cache on commit for their own process.
"""

import threading
from functools import cache
from typing import Any

from django.conf import settings
from django.db import connections, router

from unlockdesk.helpcenter import markup
from unlockdesk.helpcenter.models import Status, Translation
from unlockdesk.helpcenter.search import Analyzer, Document, SearchIndex
from unlockdesk.helpcenter.types import Language

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
    """(published translations, newest change) of `language`, by SQL written once: it runs
    before every search, and compiling the ORM's aggregate cost more than running it."""
    connection = connections[router.db_for_read(Translation)]
    with connection.cursor() as cursor:
        cursor.execute(_signature_sql(), [language, Status.PUBLISHED])
        return tuple(cursor.fetchone())


@cache
def _signature_sql() -> str:
    meta = Translation._meta
    column = meta.get_field("updated_at").column
    return (f"SELECT COUNT(*), MAX({column}) FROM {meta.db_table} "  # noqa: S608 - model names only
            f"WHERE {meta.get_field('language').column} = %s "
            f"AND {meta.get_field('status').column} = %s")


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


def warm() -> None:
    """Build every language's index (and load jieba) before the first search needs it."""
    for language in Language:
        index_for(language).prepare()


def invalidate() -> None:
    """Forget every cached index of this process (the next search rebuilds)."""
    with _lock:
        _indexes.clear()
