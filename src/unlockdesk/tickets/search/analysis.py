"""Turning ticket text into what the search index stores, the same way for documents and queries.

Chinese has no spaces, so jieba cuts each Chinese run into words (search mode: long words also
yield their shorter parts); everything else is left to the database's own tokenizer, which
stems English (PostgreSQL's `english` configuration, SQLite's `porter`) and keeps emails, hashes
and numbers whole. Documents and queries pass through `segment()` alike, so a query word is
found exactly when the document produced it.
"""

import logging
import re
import threading
import unicodedata
from functools import lru_cache

import jieba
import snowballstemmer

from unlockdesk.chinese import to_simplified

jieba.setLogLevel(logging.WARNING)

_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[^\W_]+(?:[._@+\-:][^\W_]+)*", re.UNICODE)
_lock = threading.Lock()


@lru_cache(maxsize=1)
def _tokenizer() -> jieba.Tokenizer:
    """Our own jieba instance: no other code's dictionary changes reach the ticket index."""
    with _lock:
        tokenizer = jieba.Tokenizer()
        tokenizer.initialize()
        return tokenizer


def load() -> None:
    """Read jieba's dictionary now (about 1 s), not while the first message is indexed."""
    _tokenizer()


# Below U+2E80 (CJK radicals) the Traditional-to-Simplified conversion changes nothing
# (tests/tickets/test_search_analysis.py checks each character), so text without such a
# character, most messages, skips it.
_CJK_OR_BEYOND = re.compile("[\u2e80-\U0010ffff]")


def _normal(text: str) -> str:
    # NFKC folds full-width letters and digits (ＯＫＸ１２３) that Chinese keyboards produce.
    # Traditional is folded to Simplified on both sides, so 帳戶被凍結 finds 账户被冻结 and back.
    text = unicodedata.normalize("NFKC", text)
    return to_simplified(text) if _CJK_OR_BEYOND.search(text) else text


@lru_cache(maxsize=4096)
def _cut(run: str) -> str:
    return " ".join(w for w in _tokenizer().cut_for_search(run) if w.strip())


def segment(text: str) -> str:
    """`text` with every Chinese run cut into space-separated words; the rest unchanged."""
    text = _normal(text)
    return _CJK_RUN.sub(lambda m: f" {_cut(m.group(0))} ", text)


_stemmer = snowballstemmer.stemmer("english")


def highlight_terms(query: str) -> list[str]:
    """Lower-cased pieces of the query to mark in a snippet: Chinese words, English stems
    (a stem is a prefix of most of its forms: `withdraw` marks `withdrawals`), identifiers."""
    terms: list[str] = []
    for word in _WORD.findall(_normal(query)):
        if _CJK_RUN.fullmatch(word):
            terms.extend(w for w in _cut(word).split() if len(w) > 1 or len(word) == 1)
        elif word.isascii() and word.isalpha():
            terms.append(_stemmer.stemWord(word.lower()))
        else:
            terms.append(word.lower())
    # Longest first, so `提币地址` is marked whole before `提币` would split it.
    return sorted({t for t in terms if t}, key=len, reverse=True)
