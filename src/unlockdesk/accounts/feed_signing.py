"""Checking that an event push comes from the exchange core.

The core signs every request with one of the keys an admin configured (`FeedKey`, secret
encrypted at rest): `X-Unlockdesk-Signature` is the hex HMAC-SHA256 of
`<X-Unlockdesk-Timestamp> "\\n" <raw body>` under the key named by `X-Unlockdesk-Key`.
Several keys may be active at once, so the core rotates by adding a key, switching to it and
deactivating the old one. A timestamp more than `REPLAY_WINDOW` away from now is refused, so a
captured request cannot be replayed later; within the window, event ids make a replay a no-op.
"""

import hashlib
import hmac
import time
from enum import StrEnum

from unlockdesk.accounts.models import FeedKey

REPLAY_WINDOW_SECONDS = 300
KEY_HEADER = "X-Unlockdesk-Key"
TIMESTAMP_HEADER = "X-Unlockdesk-Timestamp"
SIGNATURE_HEADER = "X-Unlockdesk-Signature"


class SignatureProblem(StrEnum):
    MISSING = "missing_signature"
    UNKNOWN_KEY = "unknown_key"
    STALE = "stale_timestamp"
    MISMATCH = "bad_signature"


class FeedSignatureRefused(Exception):
    def __init__(self, problem: SignatureProblem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The signature the core sends (also used by tests and the bench to sign like it)."""
    return hmac.new(secret.encode(), timestamp.encode() + b"\n" + body, hashlib.sha256).hexdigest()


def verify(*, key_id: str, timestamp: str, signature: str, body: bytes,
           now: float | None = None) -> FeedKey:
    """The active key that signed this body, or FeedSignatureRefused saying what is wrong."""
    if not (key_id and timestamp and signature):
        raise FeedSignatureRefused(SignatureProblem.MISSING)
    key = FeedKey.objects.filter(key_id=key_id, active=True).first()
    if key is None:
        raise FeedSignatureRefused(SignatureProblem.UNKNOWN_KEY)
    try:
        sent_at = int(timestamp)
    except ValueError as exc:
        raise FeedSignatureRefused(SignatureProblem.STALE) from exc
    if abs((time.time() if now is None else now) - sent_at) > REPLAY_WINDOW_SECONDS:
        raise FeedSignatureRefused(SignatureProblem.STALE)
    if not hmac.compare_digest(sign(key.secret, timestamp, body), signature.strip().lower()):
        raise FeedSignatureRefused(SignatureProblem.MISMATCH)
    return key
