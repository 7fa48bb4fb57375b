"""Whose address a request comes from: the connecting peer, unless that peer is a proxy the
operator named in UNLOCKDESK_TRUSTED_PROXIES.

Rate limits and the console's login lockout count per client address, so a forged
`X-Forwarded-For` must never be believed. uvicorn believes it by default from 127.0.0.1
(`--forwarded-allow-ips`), which lets anyone on the machine pose as any address: every server
we start is therefore started through `uvicorn_command`, with proxy headers off unless proxies
are named, and then trusted from those addresses only. Django code reads `client_ip(request)`,
which is what that server reported.
"""

import sys

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The client's address as the server resolved it (also axes' AXES_CLIENT_IP_CALLABLE)."""
    return request.META.get("REMOTE_ADDR") or None


def uvicorn_proxy_args(trusted: list[str] | None = None) -> list[str]:
    """uvicorn's proxy options for the trusted proxies (default: the setting)."""
    proxies = settings.UNLOCKDESK_TRUSTED_PROXIES if trusted is None else trusted
    if not proxies:
        return ["--no-proxy-headers"]
    return ["--proxy-headers", "--forwarded-allow-ips", ",".join(proxies)]


# Websocket frames go out uncompressed. The desk's frames are a few hundred bytes of JSON, and
# compressing each one (permessage-deflate, which browsers offer) was half of the event loop's
# own work: bench/chat.py, one process on SQLite, 350 msg/s offered, stored 206/s with 1,559
# busy frames compressed and 348/s with none uncompressed (p99 511 ms against 238 ms).
WEBSOCKET_ARGS = ["--ws-per-message-deflate", "false"]


def uvicorn_command(app: str, *, host: str, port: str, extra: list[str] | None = None) -> list[str]:
    """The command line of a web node: `python -m uvicorn APP` with the proxy and websocket
    options."""
    return [sys.executable, "-m", "uvicorn", app, "--host", host, "--port", str(port),
            *uvicorn_proxy_args(), *WEBSOCKET_ARGS, *(extra or [])]
