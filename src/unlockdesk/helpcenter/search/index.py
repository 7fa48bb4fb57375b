"""A BM25F index over title and body, built in memory, queried in a few milliseconds.

Per-field length normalisation and the title weight are folded into each posting when the
index is built, so a query only adds up `weight * idf * impact` over its terms' postings.
Postings are numpy arrays: a term found in every one of 10,000 articles costs one vectorised
addition, not 10,000 dictionary updates, so slow queries are no slower than quick ones.
The index is immutable: a change in the articles means building a new one.
"""

import bisect
import html
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from unlockdesk.helpcenter.search.analysis import GROUP_PREFIX, GROUP_WEIGHT, Analyzer, QueryTerm
from unlockdesk.helpcenter.search.typos import TypoIndex

TYPO_WEIGHT = 0.7
PREFIX_WEIGHT = 0.5
MAX_CONCEPTS = 62  # query words beyond this many are ignored (a pasted essay is not a question)


@dataclass(frozen=True)
class Document:
    """What the index needs of an article: a key (the slug), title and plain-text body."""

    key: str
    title: str
    body: str
    category: str = ""


@dataclass(frozen=True)
class Match:
    """One result: the document, its score, and highlighted title and snippet (escaped HTML)."""

    document: Document
    score: float
    title_html: str
    snippet_html: str


@dataclass
class _Postings:
    docs: list[int] = field(default_factory=list)
    impacts: list[float] = field(default_factory=list)


class SearchIndex:
    """BM25F over (title, body) with synonym expansion, typo tolerance and prefix suggestions.

    `typo_tolerance=False` and an analyzer without dictionary and synonyms give the plain
    baseline. Thread-safe for reads: nothing changes after __init__ except a lazily built,
    idempotent typo index.
    """

    def __init__(
        self,
        documents: Iterable[Document],
        analyzer: Analyzer,
        *,
        title_weight: float = 5.0,
        k1: float = 1.2,
        b_title: float = 0.5,
        b_body: float = 0.5,
        typo_tolerance: bool = True,
    ) -> None:
        self.analyzer = analyzer
        self.typo_tolerance = typo_tolerance
        self.documents: list[Document] = list(documents)
        analysed = [(analyzer.pairs(d.title), analyzer.pairs(d.body)) for d in self.documents]
        n = max(len(self.documents), 1)
        avg_title = sum(len(t) for t, _ in analysed) / n or 1.0
        avg_body = sum(len(b) for _, b in analysed) / n or 1.0
        postings: dict[str, _Postings] = defaultdict(_Postings)
        self._surfaces: dict[str, set[str]] = defaultdict(set)
        for doc_id, (title_pairs, body_pairs) in enumerate(analysed):
            title_tf = Counter(term for term, _ in title_pairs)
            body_tf = Counter(term for term, _ in body_pairs)
            title_norm = 1 - b_title + b_title * len(title_pairs) / avg_title
            body_norm = 1 - b_body + b_body * len(body_pairs) / avg_body
            for term in title_tf.keys() | body_tf.keys():
                pseudo_tf = (title_weight * title_tf.get(term, 0) / title_norm
                             + body_tf.get(term, 0) / body_norm)
                entry = postings[term]
                entry.docs.append(doc_id)
                entry.impacts.append(pseudo_tf / (k1 + pseudo_tf))
            for term, surface in (*title_pairs, *body_pairs):
                if surface != term or not analyzer.is_latin(term):
                    self._surfaces[term].add(surface)
        self._postings: dict[str, tuple[npt.NDArray[np.int32], npt.NDArray[np.float64]]] = {
            term: (np.array(p.docs, dtype=np.int32), np.array(p.impacts, dtype=np.float64))
            for term, p in postings.items()
        }
        self._idf = {
            term: math.log(1 + (len(self.documents) - len(p.docs) + 0.5) / (len(p.docs) + 0.5))
            for term, p in postings.items()
        }
        self._sorted_terms = sorted(t for t in self._postings if analyzer.is_latin(t))
        self._typos: TypoIndex | None = None

    def __len__(self) -> int:
        return len(self.documents)

    def search(self, query: str, limit: int = 5, *, marked: bool = True) -> list[Match]:
        """Best documents first; an empty or unknown query returns an empty list. `marked=False`:
        no highlighted title or snippet (an acknowledgement links titles only)."""
        return self._run(self._resolve(self.analyzer.query(query)), limit, marked=marked)

    def suggest(self, partial: str, limit: int = 5) -> list[Match]:
        """As-you-type results: the last English word may be the start of a longer one."""
        terms = self._resolve(self.analyzer.query(partial))
        stripped = partial.rstrip()
        last = re.findall(r"[A-Za-z]{2,}$", stripped)
        if last and stripped == partial:
            prefix = last[0].lower()
            concept = max((t.concept for t in terms), default=-1) + 1
            start = bisect.bisect_left(self._sorted_terms, prefix)
            for term in self._sorted_terms[start:start + 200]:
                if not term.startswith(prefix):
                    break
                terms.append(QueryTerm(term, PREFIX_WEIGHT, prefix, expanded=True, concept=concept))
        return self._run(terms, limit)

    def _resolve(self, terms: list[QueryTerm]) -> list[QueryTerm]:
        """Known terms as they are; unknown English terms replaced by their nearest spellings."""
        out: list[QueryTerm] = []
        for item in terms:
            if item.term in self._postings:
                out.append(item)
            elif self.typo_tolerance and not item.expanded and self.analyzer.is_latin(item.term):
                corrections = self._typo_index().corrections(item.term)
                best = corrections[0][1] if corrections else 0
                # Among the nearest spellings, the word the articles use most is the likely one
                # ("acount" is "account", not "amount"); a far rarer one would outrank it on
                # its rarity alone, so only spellings used at least half as often are kept.
                nearest = sorted((t for t, d in corrections if d == best),
                                 key=lambda t: (-len(self._postings[t][0]), t))
                common = len(self._postings[nearest[0]][0]) if nearest else 0
                nearest = [t for t in nearest if 2 * len(self._postings[t][0]) >= common]
                for rank, term in enumerate(nearest[:3]):
                    weight = TYPO_WEIGHT / (1 + rank)
                    out.append(QueryTerm(term, item.weight * weight, item.surface, expanded=True,
                                         concept=item.concept))
                    group = self.analyzer.group_of(term)
                    if group:
                        out.append(QueryTerm(group, GROUP_WEIGHT * weight, item.surface, expanded=True,
                                             concept=item.concept))
        return out

    def prepare(self) -> None:
        """Build now what the first misspelt query would (the spelling index, ~0.2 s)."""
        self._typo_index()

    def _typo_index(self) -> TypoIndex:
        if self._typos is None:
            self._typos = TypoIndex(self._sorted_terms)
        return self._typos

    def _run(self, terms: list[QueryTerm], limit: int, *, marked: bool = True) -> list[Match]:
        """BM25F over every posting of the query's terms, times the share of query words matched.

        The share (Lucene's classic "coord") lets an article that answers every word of the
        question beat one that repeats a single word; a word and its synonyms or spelling
        corrections count as one word. Ties go to the earlier document.
        """
        weights: dict[str, float] = {}
        concepts: dict[int, list[str]] = defaultdict(list)
        for item in terms:
            if item.term in self._postings and item.concept < MAX_CONCEPTS:
                if item.term not in weights:
                    concepts[item.concept].append(item.term)
                weights[item.term] = max(weights.get(item.term, 0.0), item.weight)
        if not weights:
            return []
        size = len(self.documents)
        scores = np.zeros(size)
        matched = np.zeros(size, dtype=np.int16)
        for members in concepts.values():
            hit = np.zeros(size, dtype=bool) if len(members) > 1 else None
            for term in members:
                docs, impacts = self._postings[term]
                scores[docs] += (weights[term] * self._idf[term]) * impacts
                if hit is None:
                    matched[docs] += 1
                else:
                    hit[docs] = True
            if hit is not None:
                matched += hit
        final = scores * matched / len(concepts)
        found = np.flatnonzero(matched)
        if len(found) > limit:
            found = found[np.argpartition(-final[found], limit - 1)[:limit]]
        top = sorted(found.tolist(), key=lambda doc_id: (-final[doc_id], doc_id))
        if not marked:
            return [Match(self.documents[doc_id], round(float(final[doc_id]), 4), "", "") for doc_id in top]
        surfaces = tuple(self._surfaces_for(weights))
        return [
            Match(self.documents[doc_id], round(float(final[doc_id]), 4),
                  highlight(self.documents[doc_id].title, surfaces),
                  snippet(self.documents[doc_id].body, surfaces))
            for doc_id in top
        ]

    def _surfaces_for(self, terms: Iterable[str]) -> list[str]:
        found: set[str] = set()
        for term in terms:
            found |= self._surfaces.get(term, set())
            if not term.startswith(GROUP_PREFIX):
                found.add(term)
        return sorted((s for s in found if len(s) > 1), key=len, reverse=True)


@lru_cache(maxsize=512)
def _pattern(surfaces: tuple[str, ...]) -> re.Pattern[str] | None:
    if not surfaces:
        return None
    parts = []
    for surface in surfaces[:40]:
        escaped = re.escape(surface)
        parts.append(rf"\b{escaped}\w*" if surface.isascii() else escaped)
    return re.compile("|".join(parts), re.IGNORECASE)


def highlight(text: str, surfaces: tuple[str, ...]) -> str:
    """`text` escaped for HTML, with the matched words wrapped in <mark>."""
    pattern = _pattern(surfaces)
    if pattern is None:
        return html.escape(text)
    # Matches next to each other (账户被锁, "account locked") read as one phrase: one <mark>.
    spans: list[list[int]] = []
    for found in pattern.finditer(text):
        if spans and not text[spans[-1][1]:found.start()].strip():
            spans[-1][1] = found.end()
        else:
            spans.append([found.start(), found.end()])
    out, last = [], 0
    for start, end in spans:
        out.append(html.escape(text[last:start]))
        out.append(f"<mark>{html.escape(text[start:end])}</mark>")
        last = end
    out.append(html.escape(text[last:]))
    return "".join(out)


def snippet(text: str, surfaces: tuple[str, ...], width: int = 160) -> str:
    """The part of `text` around the first match (or its start), escaped and highlighted."""
    pattern = _pattern(surfaces)
    found = pattern.search(text) if pattern else None
    start = 0
    if found is not None and found.start() > width // 3:
        start = found.start() - width // 3
        space = text.rfind(" ", 0, start + 1)
        if space != -1 and start - space < 20:
            start = space + 1
    piece = text[start:start + width]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + width < len(text) else ""
    return prefix + highlight(piece, surfaces) + suffix
