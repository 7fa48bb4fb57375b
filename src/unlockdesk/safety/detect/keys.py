"""Private keys: WIF and extended keys (recognised by their base58check checksum, no context
needed) and raw 64-hex keys, with or without 0x.

A raw hex key has the very shape of a transaction hash, so it is a key only when the words
before it say so (私钥, private key) and no nearer word says transaction or hash: a bare hash
the customer pastes to trace a deposit must survive.
"""

import hashlib
import re

from unlockdesk.safety.detect.context import secret_context
from unlockdesk.safety.types import Finding

B58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_INDEX = {ch: i for i, ch in enumerate(B58_ALPHABET)}

_HEX_KEY = re.compile(r"(?<![0-9A-Za-z])(?:0[xX])?[0-9a-fA-F]{64}(?![0-9A-Za-z])")
_WIF = re.compile(r"(?<![0-9A-Za-z])[5KLc9][1-9A-HJ-NP-Za-km-z]{50,51}(?![0-9A-Za-z])")
_EXTENDED = re.compile(r"(?<![0-9A-Za-z])[xtyzuv]prv[1-9A-HJ-NP-Za-km-z]{100,112}(?![0-9A-Za-z])")

WIF_VERSIONS = {0x80, 0xEF}


def b58check_decode(value: str) -> bytes | None:
    """Payload of a base58check string, or None when the checksum is wrong."""
    number = 0
    for ch in value:
        index = _B58_INDEX.get(ch)
        if index is None:
            return None
        number = number * 58 + index
    raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
    pad = len(value) - len(value.lstrip("1"))
    raw = b"\x00" * pad + raw
    if len(raw) < 5:
        return None
    payload, checksum = raw[:-4], raw[-4:]
    if hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4] != checksum:
        return None
    return payload


def is_wif(value: str) -> bool:
    payload = b58check_decode(value)
    if payload is None or payload[0] not in WIF_VERSIONS:
        return False
    return len(payload) == 33 or (len(payload) == 34 and payload[-1] == 0x01)


def find_private_keys(text: str) -> list[Finding]:
    findings = [
        Finding("private_key", m.start(), m.end()) for m in _WIF.finditer(text) if is_wif(m.group())
    ]
    findings += [
        Finding("private_key", m.start(), m.end())
        for m in _EXTENDED.finditer(text)
        if (payload := b58check_decode(m.group())) is not None and len(payload) == 78
    ]
    findings += [
        Finding("private_key", m.start(), m.end())
        for m in _HEX_KEY.finditer(text)
        if secret_context(text, m.start())
    ]
    return findings
