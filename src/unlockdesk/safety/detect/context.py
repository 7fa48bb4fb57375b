"""What the words before a candidate say about it: a secret, or a transaction / address.

Hex strings, base58 and long tokens look the same whether they are a private key or a
transaction hash; only the words around them tell. The nearest cue on the same line wins; a
value alone on its line reads the label on the line above.
"""

import re

LOOKBACK = 60

SECRET_CUES = re.compile(
    r"private\s*key|priv[\s_-]*key|privkey|secret|api[\s_-]*key|apikey|access[\s_-]*key|token|"
    r"credential|bearer|passphrase|password|seed|mnemonic|recovery\s+phrase|"
    r"私钥|密钥|秘钥|口令|助记词|凭证|授权码|密码|种子",
    re.IGNORECASE,
)
PRIVATE_KEY_CUE = re.compile(r"private\s*key|priv[\s_-]*key|privkey|私钥", re.IGNORECASE)
PUBLIC_CUES = re.compile(
    r"\btx\b|txid|tx\s*hash|txn|hash|transaction|transfer|deposit|withdraw(?:al)?|address|order|"
    r"\buid\b|block|explorer|哈希|杂凑|交易|转账|转帐|充值|充币|提币|提现|地址|订单|记录|区块|链上",
    re.IGNORECASE,
)


def _line_before(text: str, start: int) -> str:
    """The words before `start` on its line; for a value that opens its line, the end of the
    nearest non-blank line above (at most two up), where a label such as "私钥：" stands."""
    line_start = text.rfind("\n", 0, start) + 1
    before = text[max(line_start, start - LOOKBACK) : start]
    if before.strip():
        return before
    end = line_start - 1
    for _step in range(3):
        if end < 0:
            break
        above_start = text.rfind("\n", 0, end) + 1
        above = text[max(above_start, end - LOOKBACK) : end]
        if above.strip():
            return above
        end = above_start - 1
    return before


def secret_cue(text: str, start: int) -> str:
    """The nearest cue before `start` (same line) when it names a secret, else ''."""
    before = _line_before(text, start)
    secret = list(SECRET_CUES.finditer(before))
    public = [m.end() for m in PUBLIC_CUES.finditer(before)]
    if not secret or (public and max(public) >= secret[-1].end()):
        return ""
    return secret[-1].group()


def secret_context(text: str, start: int) -> bool:
    """True when the nearest cue before `start` (same line) names a secret, not a public value."""
    return bool(secret_cue(text, start))


def names_private_key(cue: str) -> bool:
    return bool(PRIVATE_KEY_CUE.fullmatch(cue))
