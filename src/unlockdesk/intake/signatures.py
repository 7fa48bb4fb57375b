"""Webhook signature checks: HMAC-SHA256 over the raw body, compared in constant time.

A header is whatever a stranger sends: one that is not ASCII (hmac.compare_digest refuses
non-ASCII strings with a TypeError) is simply a wrong signature, answered like any other.
"""

import base64
import hashlib
import hmac


def hmac_sha256(secret: str, body: bytes) -> bytes:
    return hmac.new(secret.encode(), body, hashlib.sha256).digest()


def valid_hex_signature(secret: str, body: bytes, header: str, *, prefix: str = "sha256=") -> bool:
    """Facebook's X-Hub-Signature-256 and our voice webhook: `sha256=<hex>`."""
    if not secret or not header.isascii() or not header.startswith(prefix):
        return False
    expected = hmac_sha256(secret, body).hex()
    return hmac.compare_digest(expected, header[len(prefix):])


def valid_base64_signature(secret: str, body: bytes, header: str, *, prefix: str = "sha256=") -> bool:
    """X's x-twitter-webhooks-signature: `sha256=<base64>`."""
    if not secret or not header.isascii() or not header.startswith(prefix):
        return False
    expected = base64.b64encode(hmac_sha256(secret, body)).decode()
    return hmac.compare_digest(expected, header[len(prefix):])


def same_secret(expected: str, given: str) -> bool:
    """Telegram's X-Telegram-Bot-Api-Secret-Token: a shared secret, not a signature."""
    if not expected:
        return False
    return hmac.compare_digest(expected.encode(), given.encode("utf-8", "surrogatepass"))
