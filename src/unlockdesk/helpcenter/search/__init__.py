"""In-process help search, independent of Django: analysis, BM25F index, highlights.

The Django side (`unlockdesk.helpcenter.selectors`) feeds it published articles and caches one
index per language and process; the benchmark feeds it generated articles directly.
"""

from unlockdesk.helpcenter.search.analysis import Analyzer, QueryTerm
from unlockdesk.helpcenter.search.index import Document, Match, SearchIndex

__all__ = ["Analyzer", "Document", "Match", "QueryTerm", "SearchIndex"]
