"""Secret detection on inbound text, run by the pipeline before anything is stored.

`scan(text)` finds what a customer must never send support: passwords and one-time codes
given as such, exchange API credentials, private keys, BIP39 seed phrases (English and
Chinese) and high-entropy strings in a secret-like context, in English and in Simplified or
Traditional Chinese. `redacted` replaces each with a typed placeholder such as
`[REDACTED:password]`; findings index the original text.

Guarantees: a pure function (no database, no network); overlapping findings are merged so no
part of a secret survives; an empty text scans to itself.
"""

from unlockdesk.safety.detect.entropy import find_high_entropy
from unlockdesk.safety.detect.keys import find_private_keys
from unlockdesk.safety.detect.phrases import find_given_secrets
from unlockdesk.safety.detect.script import to_simplified
from unlockdesk.safety.detect.seeds import find_seed_phrases
from unlockdesk.safety.types import Finding, ScanResult

PLACEHOLDER = "[REDACTED:{kind}]"

KINDS = (
    "password",
    "otp_code",
    "api_key",
    "api_secret",
    "api_passphrase",
    "private_key",
    "seed_phrase",
    "high_entropy",
)

_DETECTORS = (find_seed_phrases, find_private_keys, find_given_secrets, find_high_entropy)


def scan(text: str) -> ScanResult:
    if not text:
        return ScanResult(text)
    # Detectors read Traditional Chinese as Simplified (密碼 -> 密码); offsets stay the same.
    readable = to_simplified(text)
    found: list[Finding] = []
    for detect in _DETECTORS:
        found.extend(detect(readable))
    merged = merge(found)
    return ScanResult(redact(text, merged), tuple(merged))


def merge(findings: list[Finding]) -> list[Finding]:
    """Overlapping or touching spans become one; the earlier-listed (stronger) kind names it.

    Detectors run strongest first (seed, key, given secret, entropy), so a key that also
    looks random keeps the name `private_key`.
    """
    rank = {id(f): i for i, f in enumerate(findings)}
    merged: list[Finding] = []
    for finding in sorted(findings, key=lambda f: (f.start, -f.end)):
        if merged and finding.start < merged[-1].end:
            last = merged[-1]
            kind = last.kind if rank.get(id(last), 0) <= rank[id(finding)] else finding.kind
            merged[-1] = Finding(kind, last.start, max(last.end, finding.end))
            rank[id(merged[-1])] = min(rank.get(id(last), 0), rank[id(finding)])
            continue
        merged.append(finding)
    return merged


def redact(text: str, findings: list[Finding]) -> str:
    """Replace each finding with a typed placeholder, overlapping spans merged."""
    out: list[str] = []
    cursor = 0
    for finding in merge(list(findings)):
        out.append(text[cursor : finding.start])
        out.append(PLACEHOLDER.format(kind=finding.kind))
        cursor = finding.end
    out.append(text[cursor:])
    return "".join(out)
