"""BIP39 seed phrases in English and Chinese, from the `mnemonic` package's wordlists
(Traditional Chinese reaches here converted to Simplified, indices unchanged: detect.script).

A run of 12, 15, 18, 21 or 24 wordlist words whose BIP39 checksum is right is a seed phrase.
The checksum is what keeps ordinary prose out: English text almost never strings twelve
wordlist words together, and Chinese text (the Chinese list is 2048 common characters) must
also be written character by character with separators, as wallets display seeds, or, written
solid, start right after a cue (助记词是…). A run that fails the checksum is still redacted
from the word after its cue when the customer calls it a seed: a mistyped seed is a secret too.
"""

import bisect
import hashlib
import itertools
import re
from collections.abc import Callable
from functools import lru_cache

from mnemonic import Mnemonic

from unlockdesk.safety.types import Finding

LENGTHS = (24, 21, 18, 15, 12)
_EN_WORD = re.compile(r"[A-Za-z]+")
_ZH_CHAR = re.compile(r"[\u4e00-\u9fff]")
# Between two words of a seed: spaces, commas, numbering ("1." "2)" "3、"), dashes, newlines.
_SEPARATOR = re.compile(r"^[\s,，、;；.\-|/]*(?:\d{1,2}\s*[.)、:：]?[\s,，、;；.\-|/]*)?$")
MAX_SEPARATOR = 12
_CONTEXT = re.compile(
    r"seed|mnemonic|recovery\s+(?:phrase|words)|secret\s+(?:phrase|words)|backup\s+(?:phrase|words)"
    r"|\b(?:12|24)\s+words|助记词|种子短语|种子词|种子|恢复短语|恢复词|备份词",
    re.IGNORECASE,
)
# Between a cue and the seed: "是", "为", "如下", colons, spaces.
_LEAD_IN = re.compile(r"(?:[\s:：,，]|是|为|如下)*")


@lru_cache(maxsize=2)
def _wordlist(language: str) -> dict[str, int]:
    """Word -> index in the `mnemonic` package's BIP39 list."""
    return {word: i for i, word in enumerate(Mnemonic(language).wordlist)}


def checksum_ok(indices: list[int]) -> bool:
    """The BIP39 checksum of a 12..24-word phrase given as wordlist indices.

    Same rule as `Mnemonic.check`, without its per-word list scans: a long run of wordlist
    words in a hostile message costs milliseconds, not seconds.
    """
    bits = len(indices) * 11
    checksum_bits = bits // 33
    number = 0
    for index in indices:
        number = (number << 11) | index
    entropy = (number >> checksum_bits).to_bytes((bits - checksum_bits) // 8, "big")
    expected = hashlib.sha256(entropy).digest()[0] >> (8 - checksum_bits)
    return (number & ((1 << checksum_bits) - 1)) == expected


def find_seed_phrases(text: str) -> list[Finding]:
    findings = _scan(text, "english", _EN_WORD, lambda t: t.lower())
    findings += _scan(text, "chinese_simplified", _ZH_CHAR, lambda t: t)
    return findings


def _scan(
    text: str, language: str, token: re.Pattern[str], normalise: Callable[[str], str]
) -> list[Finding]:
    words = _wordlist(language)
    findings: list[Finding] = []
    run: list[re.Match[str]] = []
    for match in token.finditer(text):
        in_list = normalise(match.group()) in words
        if in_list and (not run or _separates(text[run[-1].end() : match.start()])):
            run.append(match)
            continue
        if len(run) >= LENGTHS[-1]:
            findings += _seeds_in_run(text, run, words, normalise, chinese=language != "english")
        run = [match] if in_list else []
    if len(run) >= LENGTHS[-1]:
        findings += _seeds_in_run(text, run, words, normalise, chinese=language != "english")
    return findings


def _separates(gap: str) -> bool:
    return len(gap) <= MAX_SEPARATOR and _SEPARATOR.match(gap) is not None


def _seeds_in_run(
    text: str, run: list[re.Match[str]], words: dict[str, int], normalise: Callable[[str], str], *,
    chinese: bool,
) -> list[Finding]:
    values = [words[normalise(m.group())] for m in run]
    # Where a seed may begin right after a cue ("助记词是", "seed:"), lead-in skipped: cue
    # characters are themselves wordlist characters, so in Chinese they open the run.
    starts = [
        _after_lead_in(text, cue.end())
        for cue in _CONTEXT.finditer(text, max(0, run[0].start() - 80), run[-1].end())
    ]
    after_cue = set(starts)
    # glued[k]: how many of the first k gaps between words are empty (Chinese written solid).
    glued = list(itertools.accumulate(
        (run[k].end() == run[k + 1].start() for k in range(len(run) - 1)), initial=0
    ))
    found: list[Finding] = []
    i = 0
    while i <= len(values) - LENGTHS[-1]:
        for n in LENGTHS:
            if i + n > len(values):
                continue
            # Written solid, a Chinese seed must start right after its cue. Wholly solid, it may
            # run on into the customer's next sentence ("助记词是…请帮我"); partly solid (prose
            # with commas), it must end where the characters do: prose rarely fits either.
            partly = glued[i + n - 1] > glued[i]
            wholly = glued[i + n - 1] - glued[i] == n - 1
            runs_on = i + n < len(run) and run[i + n - 1].end() == run[i + n].start()
            solid = chinese and partly and (run[i].start() not in after_cue or (runs_on and not wholly))
            if not solid and checksum_ok(values[i : i + n]):
                found.append(Finding("seed_phrase", run[i].start(), run[i + n - 1].end()))
                i += n
                break
        else:
            i += 1
    if not found and starts:
        # Called a seed but the checksum fails: a mistyped seed is still a secret. Only the
        # words after the cue; in Chinese only when written word by word, as wallets show it.
        first = next((j for j, m in enumerate(run) if _introduced(starts, m.start())), None)
        long_enough = first is not None and len(run) - first >= LENGTHS[-1]
        if first is not None and long_enough and (not chinese or _spaced(run[first:])):
            found.append(Finding("seed_phrase", run[first].start(), run[-1].end()))
    return found


def _spaced(run: list[re.Match[str]]) -> bool:
    return all(run[i].end() < run[i + 1].start() for i in range(len(run) - 1))


def _after_lead_in(text: str, position: int) -> int:
    lead_in = _LEAD_IN.match(text, position)
    return lead_in.end() if lead_in else position


def _introduced(starts: list[int], position: int) -> bool:
    """A cue (`starts`, ascending) ends at most 80 characters before `position`."""
    index = bisect.bisect_right(starts, position)
    return index > 0 and position - starts[index - 1] <= 80
