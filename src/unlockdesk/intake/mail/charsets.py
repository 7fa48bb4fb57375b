"""Decoding the bytes real mail carries, whatever charset it claims.

Chinese mail clients label GBK text as GB2312 and Big5-HKSCS as Big5, and Japanese ones put
CP932 characters into ISO-2022-JP. Each declared charset is therefore decoded with its superset
first; undeclared or wrong labels fall back to UTF-8, GB18030 and Big5-HKSCS, and only then to
replacement characters. Decoding never raises.
"""

import codecs

SUPERSETS: dict[str, tuple[str, ...]] = {
    "gb2312": ("gb18030",),
    "gbk": ("gb18030",),
    "x-gbk": ("gb18030",),
    "cp936": ("gb18030",),
    "euc-cn": ("gb18030",),
    "gb18030": ("gb18030",),
    "big5": ("big5hkscs", "cp950"),
    "big5-hkscs": ("big5hkscs",),
    "iso-2022-jp": ("iso2022_jp_2", "iso2022_jp_ext", "iso2022_jp"),
    "shift_jis": ("cp932",),
    "us-ascii": ("utf-8",),
    "ascii": ("utf-8",),
    "iso-8859-1": ("cp1252",),
    "latin1": ("cp1252",),
}
FALLBACKS = ("utf-8", "gb18030", "big5hkscs")


def candidates(declared: str | None) -> list[str]:
    """Codecs to try, best first, for a declared charset label (may be empty or bogus)."""
    label = (declared or "").strip().strip('"').lower()
    names = list(SUPERSETS.get(label, (label,) if label else ()))
    names += [n for n in FALLBACKS if n not in names]
    usable = []
    for name in names:
        try:
            codecs.lookup(name)
        except LookupError:
            continue
        usable.append(name)
    return usable


def decode(data: bytes, declared: str | None = None) -> str:
    """Text of `data`; never raises (last resort: the best guess with replacement characters)."""
    names = candidates(declared)
    for name in names:
        try:
            return data.decode(name)
        except UnicodeDecodeError:
            continue
    return data.decode(names[0] if names else "utf-8", errors="replace")
