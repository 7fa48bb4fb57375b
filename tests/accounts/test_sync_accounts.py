"""`unlockdesk sync-accounts`: pull the core's event log, page by page, through the signed HTTP
gateway, into the same feed path as pushes (a re-run changes nothing)."""

import io
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from tests.accounts.feed_events import account_event, lock_event
from unlockdesk.accounts import selectors
from unlockdesk.accounts.http_gateway import signature
from unlockdesk.accounts.models import AccountLock, ExchangeAccount
from unlockdesk.accounts.types import Restriction

pytestmark = pytest.mark.django_db

SECRET = "core-secret"
PAGES: dict[str | None, dict[str, Any]] = {
    None: {"events": [account_event("32000001"), lock_event("32000001", lock_id="S-1")],
           "next_cursor": "page-2"},
    "page-2": {"events": [account_event("32000002"), lock_event("32000001", lock_id="S-1",
                                                                   version=2, reason="bored")],
               "next_cursor": None},
}


class Core(BaseHTTPRequestHandler):
    requests: list[dict[str, Any]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        expected = signature(SECRET, "POST", self.path, self.headers["X-Unlockdesk-Timestamp"], body)
        if self.headers.get("X-Unlockdesk-Signature") != expected or self.path != "/events/changes":
            self.send_response(403)
            self.end_headers()
            return
        request = json.loads(body)
        Core.requests.append(request)
        payload = json.dumps(PAGES[request["cursor"]]).encode()
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
    settings.UNLOCKDESK_GATEWAY_URL = f"http://127.0.0.1:{server.server_port}"
    settings.UNLOCKDESK_GATEWAY_SECRET = SECRET
    Core.requests = []
    yield Core
    server.shutdown()


def sync(*args: str) -> dict[str, int]:
    out = io.StringIO()
    call_command("sync-accounts", *args, stdout=out)
    result: dict[str, int] = json.loads(out.getvalue())
    return result


def test_sync_pulls_every_page_into_the_mirror(core: type[Core]) -> None:
    assert sync("--since", "2026-12-01T00:00:00+08:00") == {
        "pages": 2, "stored": 3, "unchanged": 0, "refused": 1}
    assert [r["cursor"] for r in core.requests] == [None, "page-2"]
    assert core.requests[0]["since"] == "2026-12-01T00:00:00+08:00"
    account = ExchangeAccount.objects.get(uid="32000001")
    assert selectors.blocked(account) == {Restriction.LOGIN, Restriction.WITHDRAW}
    assert ExchangeAccount.objects.filter(uid="32000002").exists()


def test_second_sync_changes_nothing(core: type[Core]) -> None:
    sync()
    assert sync() == {"pages": 2, "stored": 0, "unchanged": 3, "refused": 1}
    assert AccountLock.objects.count() == 1


def test_core_refusal_is_a_clear_error(core: type[Core], settings) -> None:  # type: ignore[no-untyped-def]
    settings.UNLOCKDESK_GATEWAY_SECRET = "wrong"
    with pytest.raises(CommandError, match="403"):
        sync()
    assert not ExchangeAccount.objects.exists()


def test_since_without_offset_is_refused() -> None:
    with pytest.raises(CommandError, match="offset"):
        sync("--since", "2026-12-01T00:00:00")
