"""High-entropy strings in a secret-like context ("token: …", "密钥 …").

Random-looking tokens are everywhere in support mail (addresses, hashes, order numbers), so
shape alone never decides: the nearest cue before the token must name a secret (a token
called a private key is reported as one even when its checksum is off), and values
with a public shape (a valid base58check address, 0x addresses, bech32, URLs) are skipped.
"""

import math
import re
from collections import Counter

from unlockdesk.safety.detect.context import names_private_key, secret_cue
from unlockdesk.safety.detect.keys import b58check_decode
from unlockdesk.safety.types import Finding

MIN_LENGTH = 20
MIN_BITS_PER_CHAR = 3.5
_TOKEN = re.compile(r"(?<![A-Za-z0-9+/=_\-.:])[A-Za-z0-9+/=_\-]{20,256}(?![A-Za-z0-9+/=_\-])")
_URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
_PUBLIC_SHAPE = re.compile(
    r"^(?:0x[0-9a-fA-F]{40}|(?:bc|tb|ltc)1[02-9ac-hj-np-z]{20,90}|T[1-9A-HJ-NP-Za-km-z]{33}|\d+)$"
)


def shannon_bits(value: str) -> float:
    counts = Counter(value)
    total = len(value)
    return -sum(n / total * math.log2(n / total) for n in counts.values())


def _classes(value: str) -> int:
    return sum(
        any(test(ch) for ch in value) for test in (str.islower, str.isupper, str.isdigit)
    )


def find_high_entropy(text: str) -> list[Finding]:
    urls = [(m.start(), m.end()) for m in _URL.finditer(text)]
    findings: list[Finding] = []
    for match in _TOKEN.finditer(text):
        value = match.group()
        if any(a <= match.start() < b for a, b in urls) or _PUBLIC_SHAPE.match(value):
            continue
        if _classes(value) < 2 or shannon_bits(value) < MIN_BITS_PER_CHAR:
            continue
        if b58check_decode(value) is not None and len(value) < 50:
            continue  # a checksummed address or similar public value
        cue = secret_cue(text, match.start())
        if cue:
            # Called a private key but not a valid WIF / hex key (mistyped): still a private key.
            kind = "private_key" if names_private_key(cue) else "high_entropy"
            findings.append(Finding(kind, match.start(), match.end()))
    return findings
