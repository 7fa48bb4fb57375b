"""Typo tolerance for English terms: the closest known terms within one or two edits.

A symmetric-delete index (the SymSpell idea) finds candidates by lookup instead of comparing
the query with every known term; an optimal-string-alignment distance confirms them.
"""

from collections import defaultdict
from collections.abc import Iterable


def max_edits(term: str) -> int:
    """Short words tolerate no typo (too many neighbours), longer ones one, long ones two."""
    if len(term) < 4:
        return 0
    return 1 if len(term) < 8 else 2


def _deletes(word: str, depth: int) -> set[str]:
    found = {word}
    frontier = {word}
    for _ in range(depth):
        nxt = set()
        for item in frontier:
            if len(item) <= 1:
                continue
            for i in range(len(item)):
                nxt.add(item[:i] + item[i + 1:])
        found |= nxt
        frontier = nxt
    return found


def distance(a: str, b: str) -> int:
    """Optimal string alignment distance (Levenshtein plus adjacent transposition)."""
    if a == b:
        return 0
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            row[j] = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


class TypoIndex:
    """Known terms by their deletions, built once from the index vocabulary."""

    def __init__(self, terms: Iterable[str], depth: int = 2) -> None:
        self.depth = depth
        self._by_delete: dict[str, list[str]] = defaultdict(list)
        for term in terms:
            if len(term) >= 3 and term.isascii():
                for variant in _deletes(term, depth):
                    self._by_delete[variant].append(term)

    def corrections(self, term: str) -> list[tuple[str, int]]:
        """Known terms within `max_edits(term)` edits, nearest first; empty for short terms."""
        limit = min(max_edits(term), self.depth)
        if limit == 0:
            return []
        seen: dict[str, int] = {}
        for variant in _deletes(term, limit):
            for candidate in self._by_delete.get(variant, ()):
                if candidate in seen or abs(len(candidate) - len(term)) > limit:
                    continue
                d = distance(term, candidate)
                if 0 < d <= limit:
                    seen[candidate] = d
        return sorted(seen.items(), key=lambda item: (item[1], item[0]))
