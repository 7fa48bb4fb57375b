"""Help-center fixtures: the shipped articles in the database, or as bare search indexes."""

import json
from pathlib import Path

import pytest

from unlockdesk.helpcenter import shipped
from unlockdesk.helpcenter.search import Analyzer, SearchIndex
from unlockdesk.helpcenter.services import LoadReport, load_shipped_content

QUERIES = Path(__file__).resolve().parents[2] / "bench" / "helpsearch_queries.json"


@pytest.fixture(scope="session")
def analyzer() -> Analyzer:
    return Analyzer()


@pytest.fixture(scope="session")
def indexes(analyzer: Analyzer) -> dict[str, SearchIndex]:
    return {lang: SearchIndex(shipped.search_documents(lang), analyzer) for lang in shipped.LANGUAGES}


@pytest.fixture(scope="session")
def baseline_indexes() -> dict[str, SearchIndex]:
    plain = Analyzer(domain_dictionary=False, synonyms=False)
    return {lang: SearchIndex(shipped.search_documents(lang), plain, typo_tolerance=False)
            for lang in shipped.LANGUAGES}


@pytest.fixture(scope="session")
def labelled_queries() -> list[dict[str, object]]:
    return list(json.loads(QUERIES.read_text(encoding="utf-8")))


@pytest.fixture
def help_content(db: None) -> LoadReport:
    """The shipped categories and articles, published, as `seed-demo` loads them."""
    return load_shipped_content()
