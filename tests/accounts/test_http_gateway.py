"""HttpGateway against a local stand-in for the exchange core: signed calls, mirror after success."""

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest

from tests.factories import make_account
from unlockdesk.accounts import selectors, services
from unlockdesk.accounts.http_gateway import GatewayError, signature
from unlockdesk.accounts.models import AccountLock
from unlockdesk.accounts.types import LockReason, Restriction

pytestmark = pytest.mark.django_db

SECRET = "core-secret"


class Core(BaseHTTPRequestHandler):
    calls: list[dict[str, Any]] = []
    fail = False

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        expected = signature(SECRET, "POST", self.path, self.headers["X-Unlockdesk-Timestamp"], body)
        if self.headers.get("X-Unlockdesk-Signature") != expected or Core.fail:
            self.send_response(403 if not Core.fail else 503)
            self.end_headers()
            return
        Core.calls.append({"path": self.path, "body": json.loads(body)})
        answer: dict[str, Any] = {"lock_id": "L-77"}
        if self.path.endswith("/transactions/lookup"):
            answer = {"transactions": [{"tx_id": "T1", "occurred_at": "2026-11-20T10:00:00+00:00",
                                        "kind": "withdrawal", "asset": "USDT", "amount": "120.5"}]}
        payload = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: Any) -> None:
        return


@pytest.fixture
def core(settings) -> Iterator[type[Core]]:  # type: ignore[no-untyped-def]
    server = HTTPServer(("127.0.0.1", 0), Core)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.UNLOCKDESK_GATEWAY = "unlockdesk.accounts.http_gateway.HttpGateway"
    settings.UNLOCKDESK_GATEWAY_URL = f"http://127.0.0.1:{server.server_port}"
    settings.UNLOCKDESK_GATEWAY_SECRET = SECRET
    Core.calls, Core.fail = [], False
    yield Core
    server.shutdown()


def test_freeze_is_sent_signed_to_the_core_then_mirrored(core: type[Core]) -> None:
    account = make_account()
    services.freeze_account(account, actor="customer")
    assert core.calls[0]["path"] == f"/accounts/{account.uid}/locks"
    assert core.calls[0]["body"]["restrictions"] == ["login", "trade", "withdraw"]
    assert selectors.blocked(account) == {Restriction.LOGIN, Restriction.TRADE, Restriction.WITHDRAW}


def test_core_refusal_changes_nothing(core: type[Core]) -> None:
    account = make_account()
    core.fail = True
    with pytest.raises(GatewayError):
        services.lock_account(account, reason=LockReason.RISK_CONTROL,
                              restrictions=[Restriction.LOGIN], actor="agent:A1")
    assert not AccountLock.objects.filter(account=account).exists()


def test_lift_goes_through_the_core(core: type[Core], settings) -> None:  # type: ignore[no-untyped-def]
    settings.UNLOCKDESK_GATEWAY = "unlockdesk.accounts.gateway.DatabaseGateway"
    account = make_account(lock=LockReason.SUSPICIOUS_LOGIN)
    settings.UNLOCKDESK_GATEWAY = "unlockdesk.accounts.http_gateway.HttpGateway"
    services.lift_lock(AccountLock.objects.get(account=account), actor="agent:R1")
    assert core.calls[-1]["path"].endswith("/locks/lift")
    assert not selectors.blocked(account)


def test_transactions_come_from_the_core(core: type[Core]) -> None:
    from unlockdesk.accounts.gateway import gateway

    rows = gateway().transactions(make_account(), ["T1"])
    assert [(r.tx_id, str(r.amount)) for r in rows] == [("T1", "120.5")]
