"""Forwarded headers are believed only from proxies named in UNLOCKDESK_TRUSTED_PROXIES, in the
servers our commands start; HTTPS responses carry HSTS outside the demo.

The servers are real uvicorn processes started with the exact command line `unlockdesk serve`
builds, serving a tiny ASGI app that echoes the client address uvicorn reports.
"""

import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from django.core.management import call_command
from django.test import Client
from websockets.sync.client import connect

from tests.e2e.chat_server import free_port
from unlockdesk import proxies

ROOT = Path(__file__).resolve().parents[2]
FORGED = {"X-Forwarded-For": "203.0.113.99", "X-Forwarded-Proto": "https"}


def served_command(monkeypatch: pytest.MonkeyPatch, port: int) -> list[str]:
    """The command `unlockdesk serve` would exec, pointed at the echo app."""
    seen: list[list[str]] = []
    monkeypatch.setattr(os, "execv", lambda path, argv: seen.append(list(argv)))
    call_command("serve", "--port", str(port))
    [command] = seen
    return [("tests.web.echo_client:app" if part == "unlockdesk.asgi:application" else part)
            for part in command]


def run(command: list[str], port: int) -> Iterator[str]:
    env = {k: v for k, v in os.environ.items() if k != "FORWARDED_ALLOW_IPS"}
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    try:
        while True:
            try:
                httpx.get(url, timeout=1)
                break
            except httpx.TransportError:
                assert process.poll() is None and time.monotonic() < deadline, "uvicorn did not start"
                time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture
def default_server(monkeypatch: pytest.MonkeyPatch, settings: Any) -> Iterator[str]:
    settings.UNLOCKDESK_TRUSTED_PROXIES = []
    port = free_port()
    yield from run(served_command(monkeypatch, port), port)


@pytest.fixture
def proxied_server(monkeypatch: pytest.MonkeyPatch, settings: Any) -> Iterator[str]:
    settings.UNLOCKDESK_TRUSTED_PROXIES = ["127.0.0.1/32"]
    port = free_port()
    yield from run(served_command(monkeypatch, port), port)


def test_a_local_client_cannot_pose_as_another_address_by_default(default_server: str) -> None:
    assert httpx.get(default_server, headers=FORGED, timeout=10).text == "127.0.0.1 http"


def test_a_named_proxy_is_believed(proxied_server: str) -> None:
    assert httpx.get(proxied_server, headers=FORGED, timeout=10).text == "203.0.113.99 https"


def test_without_named_proxies_uvicorn_gets_no_proxy_headers(settings: Any) -> None:
    settings.UNLOCKDESK_TRUSTED_PROXIES = []
    command = proxies.uvicorn_command("unlockdesk.asgi:application", host="127.0.0.1", port="8000")
    assert "--no-proxy-headers" in command and "--forwarded-allow-ips" not in command


def test_websocket_frames_go_out_uncompressed_though_the_client_offers_deflate(
    default_server: str,
) -> None:
    url = default_server.replace("http://", "ws://") + "/ws/"
    with connect(url, compression="deflate", open_timeout=10) as socket:
        assert socket.response.headers.get("Sec-WebSocket-Extensions") is None
        socket.send("仅用于欧易账户解锁")
        assert socket.recv(timeout=10) == "仅用于欧易账户解锁"


@pytest.mark.django_db
def test_https_responses_carry_hsts(client: Client) -> None:
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "Strict-Transport-Security" not in client.get("/")
