"""Encryption at rest and keyed hashing for PII and evidence.

`seal`/`open_sealed` use Fernet (AES-128-CBC + HMAC-SHA256) through MultiFernet so keys can be
rotated: the first key in `UNLOCKDESK_ENCRYPTION_KEYS` encrypts, every key decrypts.
`keyed_hash` is HMAC-SHA256 with its own key, for matching ID numbers without decrypting them.
"""

import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

__all__ = ["InvalidToken", "keyed_hash", "open_sealed", "seal"]


@lru_cache(maxsize=1)
def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in settings.UNLOCKDESK_ENCRYPTION_KEYS])


def seal(data: bytes) -> bytes:
    return _fernet().encrypt(data)


def open_sealed(token: bytes) -> bytes:
    return _fernet().decrypt(token)


def keyed_hash(value: str, *, purpose: str) -> str:
    """Hex HMAC of a normalised value; `purpose` separates domains (ID number, OTP, ...)."""
    key = settings.UNLOCKDESK_HASH_KEY.encode()
    message = f"{purpose}\x00{value}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()
