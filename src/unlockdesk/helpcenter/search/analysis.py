"""Turning text into search terms: jieba for Chinese runs, Snowball stems for English words.

Documents and queries go through the same `Analyzer`, so a term matches exactly when both
sides produce it. Each analyzer owns its jieba tokenizer: the domain dictionary never leaks
into other code that uses jieba's global one.
"""

import logging
import re
import threading
from dataclasses import dataclass
from functools import lru_cache

import jieba
import snowballstemmer

from unlockdesk.helpcenter.search.vocabulary import (
    CHINESE_STOP_WORDS,
    DOMAIN_WORDS,
    ENGLISH_STOP_WORDS,
    SYNONYM_GROUPS,
)

jieba.setLogLevel(logging.WARNING)

_RUNS = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
GROUP_WEIGHT = 1.0
GROUP_PREFIX = "~"


@dataclass(frozen=True)
class QueryTerm:
    """One term to look up, with how much it counts and the text it came from."""

    term: str
    weight: float
    surface: str
    expanded: bool = False
    concept: int = 0  # which word of the query it stands for (a word and its group share one)


class Analyzer:
    """Splits text into index terms.

    With synonyms, every term of a synonym group also yields the group's own term
    (`~<first member>`), in documents and queries alike: 被锁 in a query finds 锁定 in an
    article through the group term, while the exact word still scores on its own.
    `domain_dictionary=False, synonyms=False` is the plain baseline the benchmark compares
    against: jieba's general dictionary only and no synonyms.
    """

    def __init__(self, *, domain_dictionary: bool = True, synonyms: bool = True) -> None:
        self.domain_dictionary = domain_dictionary
        self.synonyms = synonyms
        self._jieba = jieba.Tokenizer()
        self._jieba.initialize()
        if domain_dictionary:
            for word in DOMAIN_WORDS:
                if _CJK.search(word):
                    self._jieba.add_word(word, freq=max(self._jieba.suggest_freq(word), 2000))
        self._groups: dict[str, str] = {}
        if synonyms:
            for group in SYNONYM_GROUPS:
                terms = [self._normalise_word(w) for w in group]
                for term in terms:
                    self._groups.setdefault(term, GROUP_PREFIX + terms[0])
        self._runs: dict[str, list[str]] = {}
        self.pairs("账户被锁定 warm up")  # jieba loads its HMM tables on first use

    def terms(self, text: str) -> list[str]:
        """Index terms of `text`, in order, stop words removed."""
        return [term for term, _surface in self.pairs(text)]

    def pairs(self, text: str) -> list[tuple[str, str]]:
        """(term, surface) pairs: the surface is the text that produced the term."""
        out: list[tuple[str, str]] = []
        groups = self._groups
        for run in _RUNS.findall(text):
            if _CJK.match(run):
                words = self._runs.get(run)
                if words is None:
                    words = [w for w in self._jieba.cut_for_search(run, HMM=True)
                             if w not in CHINESE_STOP_WORDS and w.strip()]
                    if len(self._runs) < 200_000:
                        self._runs[run] = words
                for word in words:
                    out.append((word, word))
                    if word in groups:
                        out.append((groups[word], word))
            else:
                lowered = run.lower()
                if lowered in ENGLISH_STOP_WORDS or (len(lowered) == 1 and not lowered.isdigit()):
                    continue
                term = stem(lowered)
                out.append((term, lowered))
                if term in groups:
                    out.append((groups[term], lowered))
        return out

    def group_of(self, term: str) -> str | None:
        return self._groups.get(term)

    def query(self, text: str) -> list[QueryTerm]:
        """Query terms (group terms at a lower weight); a repeated term keeps its highest weight."""
        best: dict[str, QueryTerm] = {}
        concept = -1
        for term, surface in self.pairs(text):
            is_group = term.startswith(GROUP_PREFIX)
            concept += 0 if is_group else 1
            candidate = QueryTerm(term, GROUP_WEIGHT if is_group else 1.0, surface, expanded=is_group,
                                  concept=concept)
            known = best.get(term)
            if known is None or candidate.weight > known.weight:
                best[term] = candidate
        return list(best.values())

    def is_latin(self, term: str) -> bool:
        return not _CJK.search(term) and not term.startswith(GROUP_PREFIX)

    def _normalise_word(self, word: str) -> str:
        return word if _CJK.search(word) else stem(word.lower())


# A Snowball stemmer keeps the word being stemmed in itself: sharing one between threads (two
# requests building or querying an index at once) corrupts it, so each thread has its own.
_stemmers = threading.local()


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """The Snowball (Porter 2) stem of a lower-case English word; short words and numbers stay."""
    if word.isdigit() or len(word) <= 3:
        return word
    stemmer = getattr(_stemmers, "english", None)
    if stemmer is None:
        stemmer = _stemmers.english = snowballstemmer.stemmer("english")
    return str(stemmer.stemWord(word.replace("’", "'")))
