"""`HttpGateway`: ExchangeGateway against a real exchange core over HTTPS.

Each request is signed (HMAC-SHA256 over method, path, timestamp and body, like the exchange's
own API) so the core can refuse anything that does not come from Unlockdesk. The mirror rows
are updated only after the core confirmed the change, so the console never shows a lock state
the exchange does not have.

Settings: UNLOCKDESK_GATEWAY=unlockdesk.accounts.http_gateway.HttpGateway,
UNLOCKDESK_GATEWAY_URL, UNLOCKDESK_GATEWAY_KEY_ID, UNLOCKDESK_GATEWAY_SECRET.
"""

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils.dateparse import parse_datetime

from unlockdesk.accounts.gateway import DatabaseGateway
from unlockdesk.accounts.models import AccountLock, ExchangeAccount, Transaction
from unlockdesk.accounts.types import LockReason, Restriction

TIMEOUT_SECONDS = 10


class GatewayError(Exception):
    """The exchange core refused or did not answer; nothing was changed in the mirror."""


def signature(secret: str, method: str, path: str, timestamp: str, body: bytes) -> str:
    message = f"{timestamp}\n{method}\n{path}\n".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


class HttpGateway:
    def __init__(self) -> None:
        self.base = settings.UNLOCKDESK_GATEWAY_URL.rstrip("/")
        self.key_id = settings.UNLOCKDESK_GATEWAY_KEY_ID
        self.secret = settings.UNLOCKDESK_GATEWAY_SECRET
        self.mirror = DatabaseGateway()
        if not (self.base and self.secret):
            raise GatewayError("UNLOCKDESK_GATEWAY_URL and UNLOCKDESK_GATEWAY_SECRET must be set")

    def _call(self, method: str, path: str, payload: dict[str, Any] | None = None) -> dict[str, Any]:
        body = json.dumps(payload).encode() if payload is not None else b""
        timestamp = str(int(time.time()))
        request = urllib.request.Request(  # noqa: S310 - the core's URL comes from settings
            self.base + path, data=body or None, method=method,
            headers={
                "Content-Type": "application/json",
                "X-Unlockdesk-Key": self.key_id,
                "X-Unlockdesk-Timestamp": timestamp,
                "X-Unlockdesk-Signature": signature(self.secret, method, path, timestamp, body),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
                data = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as exc:
            raise GatewayError(f"exchange core answered {exc.code} to {method} {path}") from exc
        except (urllib.error.URLError, TimeoutError, ValueError) as exc:
            raise GatewayError(f"exchange core unreachable: {exc}") from exc
        if not isinstance(data, dict):
            raise GatewayError("exchange core sent an unexpected answer")
        return data

    def lock(
        self,
        account: ExchangeAccount,
        *,
        reason: LockReason,
        restrictions: list[Restriction],
        locked_by: str,
        note: str = "",
        auto_lift_at: datetime | None = None,
    ) -> AccountLock:
        answer = self._call("POST", f"/accounts/{account.uid}/locks", {
            "reason": str(reason), "restrictions": [str(r) for r in restrictions],
            "locked_by": locked_by, "note": note,
            "auto_lift_at": auto_lift_at.isoformat() if auto_lift_at else None,
        })
        lock = self.mirror.lock(account, reason=reason, restrictions=restrictions,
                                locked_by=locked_by, note=note, auto_lift_at=auto_lift_at)
        if answer.get("lock_id"):
            lock.note = f"{note}\ncore lock {answer['lock_id']}".strip()
            lock.save(update_fields=["note"])
        return lock

    def lift(self, lock: AccountLock, *, lifted_by: str) -> AccountLock:
        self._call("POST", f"/accounts/{lock.account.uid}/locks/lift", {
            "reason": lock.reason, "restrictions": lock.restrictions, "lifted_by": lifted_by,
        })
        return self.mirror.lift(lock, lifted_by=lifted_by)

    def changes(self, *, since: datetime | None, cursor: str | None) -> tuple[list[Any], str | None]:
        """One page of the core's event log (the feed's schema) and the cursor of the next page
        (None when this was the last), for installations the core cannot push to."""
        answer = self._call("POST", "/events/changes", {
            "since": since.isoformat() if since else None, "cursor": cursor,
        })
        events, next_cursor = answer.get("events"), answer.get("next_cursor")
        if not isinstance(events, list) or not (next_cursor is None or isinstance(next_cursor, str)):
            raise GatewayError("exchange core sent an unexpected page of changes")
        return events, next_cursor or None

    def transactions(self, account: ExchangeAccount, tx_ids: list[str]) -> list[Transaction]:
        """Transactions as the core knows them (not saved: the core is the source of truth)."""
        answer = self._call("POST", f"/accounts/{account.uid}/transactions/lookup", {"ids": tx_ids})
        out = []
        for row in answer.get("transactions", []):
            occurred = parse_datetime(str(row.get("occurred_at", "")))
            if occurred is None:
                continue
            out.append(Transaction(
                account=account, tx_id=str(row.get("tx_id", "")), tx_hash=str(row.get("tx_hash", "")),
                occurred_at=occurred, kind=str(row.get("kind", "")), asset=str(row.get("asset", "")),
                amount=Decimal(str(row.get("amount", "0"))),
                counterparty=str(row.get("counterparty", "")),
            ))
        return out
