"""Does a domain or a name *look like* the brand's without being it?

Pure functions over strings; the brand's words and domains come from settings.BRAND and the
registry, never from here. Techniques covered, each with its own reason:

- Unicode confusables and punycode (`оkx.com` with a Cyrillic о, `xn--kx-...`)
- typos and swaps (edit distance 1, or 2 for long names: `oxk.com`, `okxx.com`, `0kx.com`)
- the brand word inside another domain (`okx.com.evil.io`, `okx-support.com`)
- TLD swaps (`okx.co`, `okx.net`)
- free-mail impersonation (`okx.support@gmail.com`) — see `email_lookalike`
"""

import contextlib
import unicodedata
from dataclasses import dataclass

from unlockdesk.safety.detect.script import to_simplified

# Characters that render like Latin letters or digits (a practical subset of Unicode's
# confusables.txt: Cyrillic, Greek, Armenian and look-alike digits).
CONFUSABLES = str.maketrans({
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i", "ј": "j", "ԁ": "d",
    "ԛ": "q", "ԝ": "w", "ɡ": "g", "һ": "h", "ӏ": "l", "ո": "n", "ս": "u", "օ": "o",
    "α": "a", "β": "b", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t",
    "υ": "u", "χ": "x", "ω": "w", "ｏ": "o", "ｋ": "k", "ｘ": "x",
    "0": "o", "1": "l", "3": "e", "5": "s", "7": "t", "@": "a", "$": "s",
    "ı": "i", "ł": "l", "ø": "o", "đ": "d", "ħ": "h",
})

# Second-level suffixes under which the registrable name is the third label from the right.
TWO_LEVEL_SUFFIXES = frozenset({
    "com.cn", "net.cn", "org.cn", "gov.cn", "com.hk", "com.tw", "co.uk", "org.uk", "co.jp",
    "com.au", "co.kr", "com.sg", "com.my", "co.in", "com.br", "co.nz", "com.tr", "co.id",
})

FREE_MAIL = frozenset({
    "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com",
    "yahoo.com", "ymail.com", "icloud.com", "me.com", "aol.com", "proton.me", "protonmail.com",
    "gmx.com", "gmx.net", "mail.com", "yandex.ru", "yandex.com", "mail.ru", "zoho.com",
    "qq.com", "foxmail.com", "163.com", "126.com", "yeah.net", "sina.com", "sina.cn",
    "sohu.com", "139.com", "aliyun.com", "tutanota.com",
})


@dataclass(frozen=True)
class Resemblance:
    """Why a name looks like ours: a technique code and the official name it imitates."""

    technique: str
    imitates: str


def skeleton(value: str) -> str:
    """Fold case, compatibility forms (full-width), diacritics and confusables to plain ASCII,
    and Traditional Chinese to Simplified (歐易 is 欧易)."""
    folded = unicodedata.normalize("NFKC", value).casefold()
    stripped = "".join(
        ch for ch in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(ch)
    )
    return to_simplified(stripped.translate(CONFUSABLES))


def decode_host(host: str) -> str:
    """Lower-case host with punycode labels decoded to Unicode (IDNA); bad labels kept as is."""
    labels = []
    for label in host.strip().strip(".").lower().split("."):
        if label.startswith("xn--"):
            with contextlib.suppress(UnicodeError, ValueError):
                label = label[4:].encode("ascii").decode("punycode")
        labels.append(label)
    return ".".join(labels)


def split_registrable(host: str) -> tuple[str, str]:
    """(name, suffix): `okx.com.evil.io` -> (`evil`, `io`); `a.okx.com.cn` -> (`okx`, `com.cn`)."""
    labels = host.split(".")
    if len(labels) >= 3 and ".".join(labels[-2:]) in TWO_LEVEL_SUFFIXES:
        return labels[-3], ".".join(labels[-2:])
    if len(labels) >= 2:
        return labels[-2], labels[-1]
    return host, ""


def is_official_host(host: str, official: tuple[str, ...]) -> str:
    """The official domain `host` is, or is a subdomain of; '' when none."""
    for domain in official:
        if host == domain or host.endswith("." + domain):
            return domain
    return ""


def edit_distance(a: str, b: str) -> int:
    """Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps."""
    rows = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        rows[i][0] = i
    for j in range(len(b) + 1):
        rows[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            rows[i][j] = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                rows[i][j] = min(rows[i][j], rows[i - 2][j - 2] + 1)
    return rows[-1][-1]


def _allowed_typos(name: str) -> int:
    return 2 if len(name) >= 7 else 1


def host_resemblance(
    host: str, official: tuple[str, ...], brand_words: tuple[str, ...]
) -> Resemblance | None:
    """How a non-official `host` (already decoded) imitates one of `official`, if it does."""
    name, suffix = split_registrable(host)
    is_idn = any(ord(ch) > 127 for ch in host)
    folded_host = skeleton(host)
    folded_name = skeleton(name)
    for domain in official:
        official_name, official_suffix = split_registrable(domain)
        if is_idn and (folded_host == domain or folded_host.endswith("." + domain)):
            return Resemblance("confusable", domain)
        if folded_name == official_name and name != official_name:
            return Resemblance("confusable", domain)
        if name == official_name and suffix != official_suffix:
            return Resemblance("tld_swap", domain)
    for word in brand_words:
        folded_word = skeleton(word)
        labels = folded_host.split(".")
        pieces = [p for label in labels for p in label.replace("_", "-").split("-")]
        if folded_word in pieces or any(
            label.startswith(folded_word) or label.endswith(folded_word) for label in labels
        ):
            if is_idn and word.isascii() and word not in host:
                return Resemblance("confusable", word)
            return Resemblance("brand_word", word)
    for domain in official:
        official_name, _suffix = split_registrable(domain)
        distance = edit_distance(folded_name, official_name)
        if 0 < distance <= _allowed_typos(official_name) and len(folded_name) >= 3:
            return Resemblance("typo", domain)
    return None


def name_resemblance(value: str, names: tuple[str, ...], brand_words: tuple[str, ...]) -> str:
    """The official name or brand word a handle or mailbox name imitates ('' when none)."""
    folded = skeleton(value).lstrip("@")
    for word in brand_words:
        if skeleton(word) in folded:
            return word
    for name in names:
        target = skeleton(name).lstrip("@")
        if target and 0 < edit_distance(folded, target) <= _allowed_typos(target):
            return name
    return ""
