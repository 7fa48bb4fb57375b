"""Builders for the exchange's events, and signing a push the way the exchange core does."""

import itertools
import json
import time
from typing import Any

import httpx

from unlockdesk.accounts.feed_signing import sign
from unlockdesk.accounts.models import FeedKey

_ids = itertools.count(1)
KEY_ID = "core-2026"
SECRET = "s3cret-shared-with-the-exchange-core-0123456789"


def feed_key(key_id: str = KEY_ID, secret: str = SECRET, *, active: bool = True) -> FeedKey:
    return FeedKey.objects.create(key_id=key_id, secret=secret, active=active)


def account_event(uid: str = "31000001", *, version: int = 1, **fields: Any) -> dict[str, Any]:
    event = {"id": f"evt-{next(_ids)}", "type": "account", "uid": uid,
             "email": f"u{uid}@example.com", "phone": "+8613900139000", "kyc_name": "张伟",
             "id_number": "11010519491231002X", "anti_phishing_code": "OKX-blue",
             "language": "zh-hans", "time_zone": "Asia/Shanghai", "version": version}
    event.update(fields)
    return event


def lock_event(uid: str = "31000001", *, lock_id: str = "L-1", version: int = 1,
               **fields: Any) -> dict[str, Any]:
    event = {"id": f"evt-{next(_ids)}", "type": "lock", "uid": uid, "lock_id": lock_id,
             "reason": "risk_control", "restrictions": ["login", "withdraw"],
             "since": "2026-12-01T09:30:00+08:00", "auto_lift_at": None, "lifted_at": None,
             "note": "rule R-17", "version": version}
    event.update(fields)
    return event


def transaction_event(uid: str = "31000001", *, tx_id: str = "T-1", version: int = 1,
                      **fields: Any) -> dict[str, Any]:
    event = {"id": f"evt-{next(_ids)}", "type": "transaction", "uid": uid, "tx_id": tx_id,
             "tx_hash": "0x" + "ab" * 32, "occurred_at": "2026-11-30T22:15:00+00:00",
             "kind": "withdrawal", "asset": "usdt", "amount": "1250.5",
             "counterparty": "external wallet", "version": version}
    event.update(fields)
    return event


def signed_headers(body: bytes, *, key_id: str = KEY_ID, secret: str = SECRET,
                   timestamp: int | None = None) -> dict[str, str]:
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    return {"Content-Type": "application/json", "X-Unlockdesk-Key": key_id,
            "X-Unlockdesk-Timestamp": stamp, "X-Unlockdesk-Signature": sign(secret, stamp, body)}


def push(base_url: str, payload: Any, **signing: Any) -> httpx.Response:
    """POST events to a live server over real HTTP, signed like the exchange core signs."""
    body = json.dumps(payload).encode()
    return httpx.post(f"{base_url}/api/v1/exchange/events", content=body,
                      headers=signed_headers(body, **signing), timeout=30)
