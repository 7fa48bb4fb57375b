"""A local fake of the file APIs of Telegram, Messenger and X, on one live HTTP server.

It speaks each platform's wire format for the calls the desk makes and checks each one's token:

- Telegram (under /tg): `GET /bot<token>/getFile?file_id=` and `GET /file/bot<token>/<path>`;
  `POST /bot<token>/sendMessage` (JSON), `sendPhoto` / `sendDocument` (multipart).
- Messenger (under /fb): `POST /me/messages`, JSON or multipart with `filedata`; attachment
  files at `/fbcdn/<name>` (CDN URLs, as a webhook carries them).
- X (under /x): `POST /2/media/upload` (multipart `media`), `POST /2/dm_conversations/with/<id>/messages`;
  DM media at `/ton/<name>` (bearer token required, as DM media is not public).

`files[name]` is what a download serves; `fail_downloads(n)` answers the next n downloads 503.
Every call is kept in `calls` (parsed JSON or multipart fields and files).
"""

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

TELEGRAM_TOKEN = "123456:fake-bot-token"
PAGE_TOKEN = "fake-page-token"
X_TOKEN = "fake-x-bearer"
# The ports this engineer's servers may use (the shared machine's rule).
PORTS = range(9810, 9900)


@dataclass
class Call:
    method: str
    path: str
    auth: str
    json: Any = None
    fields: dict[str, str] = field(default_factory=dict)
    files: dict[str, tuple[str, str, bytes]] = field(default_factory=dict)  # name -> (filename, type, bytes)


@dataclass
class FakeSocial:
    url: str = ""
    files: dict[str, bytes] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    downloads: dict[str, int] = field(default_factory=dict)
    failures: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def fail_downloads(self, count: int) -> None:
        with self.lock:
            self.failures = count

    def sent(self, prefix: str) -> list[Call]:
        """The POSTs whose path starts with `prefix` (e.g. "/tg/bot", "/fb/me/messages")."""
        return [c for c in self.calls if c.method == "POST" and c.path.startswith(prefix)]

    def configure(self, settings: Any) -> None:
        """Point the desk at this fake, with each platform's token set."""
        settings.UNLOCKDESK_TELEGRAM_BOT_TOKEN = TELEGRAM_TOKEN
        settings.UNLOCKDESK_TELEGRAM_API_URL = f"{self.url}/tg"
        settings.UNLOCKDESK_FACEBOOK_PAGE_TOKEN = PAGE_TOKEN
        settings.UNLOCKDESK_FACEBOOK_GRAPH_URL = f"{self.url}/fb"
        settings.UNLOCKDESK_FACEBOOK_MEDIA_HOSTS = ["127.0.0.1"]
        settings.UNLOCKDESK_X_BEARER_TOKEN = X_TOKEN
        settings.UNLOCKDESK_X_API_URL = f"{self.url}/x"
        settings.UNLOCKDESK_X_MEDIA_HOSTS = ["127.0.0.1"]

    def _download(self, name: str) -> tuple[int, str, bytes]:
        with self.lock:
            if self.failures:
                self.failures -= 1
                return 503, "text/plain", b"try later"
            self.downloads[name] = self.downloads.get(name, 0) + 1
        if name not in self.files:
            return 404, "text/plain", b"gone"
        return 200, "application/octet-stream", self.files[name]

    def get(self, path: str, query: dict[str, str], auth: str) -> tuple[int, str, bytes]:
        with self.lock:
            self.calls.append(Call("GET", path, auth))
        if path == f"/tg/bot{TELEGRAM_TOKEN}/getFile":
            file_id = query.get("file_id", "")
            if file_id not in self.files:
                return _json(400, {"ok": False, "error_code": 400,
                                   "description": "Bad Request: invalid file_id"})
            return _json(200, {"ok": True, "result": {"file_id": file_id, "file_unique_id": "u" + file_id,
                                                      "file_size": len(self.files[file_id]),
                                                      "file_path": f"photos/{file_id}"}})
        if path.startswith(f"/tg/file/bot{TELEGRAM_TOKEN}/photos/"):
            return self._download(path.rsplit("/", 1)[-1])
        if path.startswith("/tg/"):
            return _json(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
        if path.startswith("/fbcdn/"):
            return self._download(path.rsplit("/", 1)[-1])
        if path.startswith("/ton/"):
            if auth != f"Bearer {X_TOKEN}":
                return _json(401, {"title": "Unauthorized", "status": 401})
            return self._download(path.rsplit("/", 1)[-1])
        return _json(404, {"error": "not found"})

    def post(self, call: Call) -> tuple[int, str, bytes]:
        with self.lock:
            self.calls.append(call)
            n = len(self.calls)
        path = call.path
        if path.startswith("/tg/"):
            method = path.rsplit("/", 1)[-1]
            if path != f"/tg/bot{TELEGRAM_TOKEN}/{method}":
                return _json(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
            needed = {"sendMessage": None, "sendPhoto": "photo", "sendDocument": "document"}
            if method not in needed or (needed[method] and needed[method] not in call.files):
                return _json(400, {"ok": False, "error_code": 400, "description": "Bad Request"})
            return _json(200, {"ok": True, "result": {"message_id": n}})
        if path == "/fb/me/messages":
            if call.auth != f"Bearer {PAGE_TOKEN}":
                return _json(401, {"error": {"message": "Invalid OAuth access token.", "code": 190}})
            return _json(200, {"recipient_id": "551", "message_id": f"m_out_{n}"})
        if path.startswith("/x/"):
            if call.auth != f"Bearer {X_TOKEN}":
                return _json(401, {"title": "Unauthorized", "status": 401})
            if path == "/x/2/media/upload":
                if "media" not in call.files:
                    return _json(400, {"errors": [{"message": "media required"}]})
                return _json(200, {"data": {"id": f"17{n:08d}", "media_key": f"3_17{n:08d}"}})
            if path.startswith("/x/2/dm_conversations/with/") and path.endswith("/messages"):
                return _json(201, {"data": {"dm_conversation_id": "1-77", "dm_event_id": f"dm-out-{n}"}})
        return _json(404, {"error": "not found"})


def _json(status: int, data: Any) -> tuple[int, str, bytes]:
    return status, "application/json", json.dumps(data).encode()


def _multipart(content_type: str, body: bytes) -> tuple[dict[str, str], dict[str, tuple[str, str, bytes]]]:
    message = BytesParser(policy=HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body)
    fields: dict[str, str] = {}
    files: dict[str, tuple[str, str, bytes]] = {}
    for part in message.iter_parts():  # type: ignore[attr-defined]
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True) or b""
        filename = part.get_filename()
        if filename is not None:
            files[name] = (filename, part.get_content_type(), payload)
        else:
            fields[name] = payload.decode()
    return fields, files


def _handler(fake: FakeSocial) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _answer(self, status: int, content_type: str, data: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            self._answer(*fake.get(parts.path, query, self.headers.get("Authorization", "")))

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            content_type = self.headers.get("Content-Type", "")
            call = Call("POST", urlsplit(self.path).path, self.headers.get("Authorization", ""))
            if content_type.startswith("multipart/form-data"):
                call.fields, call.files = _multipart(content_type, body)
            else:
                call.json = json.loads(body or b"null")
            self._answer(*fake.post(call))

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


def _bind(handler: type[BaseHTTPRequestHandler]) -> ThreadingHTTPServer:
    for port in PORTS:
        try:
            return ThreadingHTTPServer(("127.0.0.1", port), handler)
        except OSError:
            continue
    raise OSError("no free port in 9810-9899")


@contextmanager
def running() -> Iterator[FakeSocial]:
    fake = FakeSocial()
    server = _bind(_handler(fake))
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()

