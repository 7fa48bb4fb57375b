"""Traditional Chinese read as Simplified, character for character, for the detectors.

Customers from Taiwan and Hong Kong write 密碼, 驗證碼, 私鑰, 助記詞 (Big5 mail is common).
The table comes from the `mnemonic` package's two Chinese BIP39 wordlists, which list the same
2048 characters in the same order in each script, plus the few cue characters they lack. Each
character maps to one character, so offsets into the converted text index the original; and a
seed written from the Traditional wordlist becomes the Simplified one with the same indices,
so its checksum still decides.
"""

from functools import lru_cache

from mnemonic import Mnemonic

# Cue characters that are not in the wordlists: 私鑰 金鑰 轉賬 恢復 雜湊 (a hash, in Taiwan).
_EXTRA = {"鑰": "钥", "賬": "账", "復": "复", "湊": "凑"}


@lru_cache(maxsize=1)
def _table() -> dict[int, str]:
    traditional = Mnemonic("chinese_traditional").wordlist
    simplified = Mnemonic("chinese_simplified").wordlist
    pairs = {t: s for t, s in zip(traditional, simplified, strict=True) if t != s}
    pairs.update(_EXTRA)
    return {ord(t): s for t, s in pairs.items()}


def to_simplified(text: str) -> str:
    """`text` with Traditional characters replaced by Simplified ones; same length."""
    return text.translate(_table())
