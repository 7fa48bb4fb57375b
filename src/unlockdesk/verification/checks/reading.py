"""Making sense of OCR text: the note's phrase, dates, ticket number, ID numbers, names and
the validity period on the back of an ID card. Pure string work, tolerant of OCR noise.

Tolerance is deliberate and bounded: the phrase may differ by one character from what is
expected (OCR slips), but never inside the brand name, so a note made for another exchange
does not pass; dates and ticket numbers are compared after mapping characters OCR confuses
(O/0, I/l/1, S/5, B/8, Z/2).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

_DIGIT_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "D": "0", "I": "1", "l": "1", "|": "1",
                                   "i": "1", "〇": "0", "Z": "2", "z": "2", "S": "5", "s": "5",
                                   "B": "8"})
_ALNUM_LOOKALIKES = str.maketrans({"O": "0", "D": "0", "Q": "0", "I": "1", "L": "1", "S": "5",
                                   "B": "8", "Z": "2", "G": "6"})


def normalize(text: str) -> str:
    """NFKC (full-width to ASCII), no spaces or punctuation except date separators."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"[\s\"'“”‘’「」『』《》()（）:：,，;；!！?？_·•*]+", "", text)


def levenshtein(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


@dataclass(frozen=True)
class PhraseMatch:
    found: bool
    distance: int
    seen: str  # the closest stretch of text read


def find_phrase(texts: Iterable[str], phrase: str, *, protected: Iterable[str] = (),
                max_distance: int = 1) -> PhraseMatch:
    """The closest stretch of any line to `phrase`; found when at most `max_distance` edits away
    and every `protected` word (the brand) that the phrase contains appears exactly in it."""
    target = normalize(phrase)
    must = [normalize(w) for w in protected if w and normalize(w) in target]
    best = PhraseMatch(False, len(target), "")
    n = len(target)
    for raw in texts:
        line = re.sub(r"[^\w]", "", normalize(raw))
        if not line:
            continue
        for size in (n - 1, n, n + 1):
            for start in range(0, max(1, len(line) - size + 1)):
                window = line[start:start + size]
                d = levenshtein(window, target)
                brand_ok = all(word in window for word in must)
                found = d <= max_distance and brand_ok
                if (found, -d) > (best.found, -best.distance):
                    best = PhraseMatch(found, d, window)
    return best


_DATE_PATTERNS = (
    # 2026-11-25, 2026/11/25, 2026.11.25, 2026年11月25日
    re.compile(r"(?<!\d)(20\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)"),
    # 20261125
    re.compile(r"(?<!\d)(20\d\d)(\d\d)(\d\d)(?!\d)"),
)
_DAY_FIRST = re.compile(r"(?<!\d)(\d{1,2})[-/.](\d{1,2})[-/.](20\d\d)(?!\d)")  # 25/11/2026, 11/25/2026


def _date(y: str, m: str, d: str) -> date | None:
    try:
        return date(int(y), int(m), int(d))
    except ValueError:
        return None


# OCR reads a written dot as a middle dot or a comma; normalize() would drop those.
_DOT_LOOKALIKES = str.maketrans({"·": ".", "•": ".", "・": ".", "‧": ".", ",": ".", "，": "."})


def find_dates(texts: Iterable[str]) -> list[date]:
    """Every calendar date written in a common format, in reading order.

    Each line is read as written and again with OCR's letter-for-digit slips mapped back
    (2O26 -> 2026); the literal reading keeps a date whose neighbour was misread as a
    look-alike letter ("2026-11-25I单": 工 read as I) from being glued to it."""
    found: list[date] = []
    for raw in texts:
        written = normalize(raw.translate(_DOT_LOOKALIKES))
        for line in dict.fromkeys((written, written.translate(_DIGIT_LOOKALIKES))):
            for pattern in _DATE_PATTERNS:
                for match in pattern.finditer(line):
                    value = _date(*match.groups())
                    if value is not None:
                        found.append(value)
            for match in _DAY_FIRST.finditer(line):
                a, b, year = match.groups()
                for value in (_date(year, b, a), _date(year, a, b)):
                    if value is not None:
                        found.append(value)
    return list(dict.fromkeys(found))


def _alnum(text: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", unicodedata.normalize("NFKC", text).upper()).translate(_ALNUM_LOOKALIKES)


def contains_code(texts: Iterable[str], code: str, *, max_distance: int = 1) -> bool:
    """A ticket number (letters and digits) somewhere in the text, OCR look-alikes forgiven,
    at most `max_distance` other slips for codes of 8 characters or more."""
    target = _alnum(code)
    if not target:
        return False
    allowed = max_distance if len(target) >= 8 else 0
    for raw in texts:
        line = _alnum(raw)
        if target in line:
            return True
        if allowed:
            n = len(target)
            for size in (n - 1, n, n + 1):
                for start in range(0, max(1, len(line) - size + 1)):
                    if levenshtein(line[start:start + size], target) <= allowed:
                        return True
    return False


# Printed labels of a resident ID card's front and back, as OCR reads them.
CARD_LABELS = ("公民身份号码", "居民身份证", "姓名", "出生", "住址", "性别", "民族")


def is_card_text(text: str) -> bool:
    """A line printed on an ID card: one of its labels, or an 18-character ID number."""
    return any(label in normalize(text) for label in CARD_LABELS) or bool(find_id_numbers([text]))


_ID_LOOKALIKES = str.maketrans({"O": "0", "D": "0", "I": "1", "L": "1", "Z": "2", "S": "5", "B": "8"})
_ID_NUMBER = re.compile(r"(?<![0-9X])(\d{17}[0-9X])(?![0-9X])")


def find_id_numbers(texts: Iterable[str]) -> list[str]:
    """18-character resident ID numbers as read, line by line (not validated)."""
    found: list[str] = []
    for raw in texts:
        line = normalize(raw).upper().replace("×", "X").translate(_ID_LOOKALIKES)
        found.extend(_ID_NUMBER.findall(re.sub(r"[^0-9X]", "", line)))
    return list(dict.fromkeys(found))


def contains_name(texts: Iterable[str], name: str) -> bool:
    """The name exactly (after normalising), or one slip for names of four characters or more."""
    target = normalize(name)
    if not target:
        return False
    lines = [normalize(t) for t in texts]
    if any(target in line for line in lines):
        return True
    return len(target) >= 4 and find_phrase(lines, target, max_distance=1).found


_VALIDITY = re.compile(
    r"(\d{4})[.\-/年](\d{1,2})[.\-/月](\d{1,2})日?[-—–~至到]+(?:(\d{4})[.\-/年](\d{1,2})[.\-/月](\d{1,2})日?|(长期))"
)


@dataclass(frozen=True)
class Validity:
    start: date | None
    end: date | None  # None with permanent=True: 长期 (no end)
    permanent: bool


def find_validity(texts: Iterable[str]) -> Validity | None:
    """The validity period printed on the back of a resident ID card (有效期限)."""
    lines = list(texts)
    for raw in [*lines, "".join(lines)]:
        line = normalize(raw).translate(_DIGIT_LOOKALIKES)
        match = _VALIDITY.search(line)
        if match:
            y1, m1, d1, y2, m2, d2, forever = match.groups()
            start = _date(y1, m1, d1)
            if forever:
                return Validity(start, None, True)
            end = _date(y2, m2, d2)
            if end is not None:
                return Validity(start, end, False)
    return None
