"""A local fake of Alibaba Cloud SMS's SendSms API (Dysmsapi 2017-05-25, RPC style).

It checks the request's ACS3-HMAC-SHA256 signature with the access key secret (Aliyun's V3
signing: canonical request, string to sign, HMAC), answers in Aliyun's JSON, and keeps what it
was sent. Business refusals come back as HTTP 200 with a code, as Aliyun does: 13800000000
is an illegal number (isv.MOBILE_NUMBER_ILLEGAL). `fail_next(status)` fails the next call.
"""

import hashlib
import hmac
import json
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

ACCESS_KEY_ID = "LTAI-fake-key"
ACCESS_KEY_SECRET = "fake-aliyun-secret"
SIGN_NAME = "欧易"
TEMPLATES = "code=SMS_100001,reply=SMS_100002,status=SMS_100003"
ILLEGAL_NUMBER = "13800000000"


def signature_ok(method: str, path: str, query: str, headers: Any, body: bytes) -> bool:
    authorization = headers.get("Authorization", "")
    algorithm, _, rest = authorization.partition(" ")
    parts = dict(item.split("=", 1) for item in rest.split(",") if "=" in item)
    if algorithm != "ACS3-HMAC-SHA256" or parts.get("Credential") != ACCESS_KEY_ID:
        return False
    payload_hash = hashlib.sha256(body).hexdigest()
    if headers.get("x-acs-content-sha256") != payload_hash:
        return False
    params = sorted((quote(k, safe="-_.~"), quote(v, safe="-_.~"))
                    for k, v in parse_qsl(query, keep_blank_values=True))
    signed = parts.get("SignedHeaders", "").split(";")
    canonical = "\n".join([
        method, path or "/", "&".join(f"{k}={v}" for k, v in params),
        "".join(f"{name}:{(headers.get(name) or '').strip()}\n" for name in signed),
        ";".join(signed), payload_hash,
    ])
    to_sign = "ACS3-HMAC-SHA256\n" + hashlib.sha256(canonical.encode()).hexdigest()
    expected = hmac.new(ACCESS_KEY_SECRET.encode(), to_sign.encode(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts.get("Signature", ""))


@dataclass
class FakeAliyun:
    url: str = ""
    messages: list[dict[str, str]] = field(default_factory=list)
    failures: list[int] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def fail_next(self, status: int) -> None:
        with self.lock:
            self.failures.append(status)

    def answer(self, action: str, signed: bool, query: dict[str, str]) -> tuple[int, dict[str, Any]]:
        request_id = uuid.uuid4().hex.upper()
        if not signed:
            return 400, {"Code": "IncompleteSignature", "RequestId": request_id,
                         "Message": "The request signature does not conform to Aliyun standards."}
        with self.lock:
            failure = self.failures.pop(0) if self.failures else None
        if failure:
            return failure, {"Code": "ServiceUnavailable", "RequestId": request_id,
                             "Message": "The request has failed due to a temporary failure of the server."}
        if action != "SendSms":
            return 404, {"Code": "InvalidAction.NotFound", "Message": action, "RequestId": request_id}
        if query.get("PhoneNumbers") == ILLEGAL_NUMBER:
            return 200, {"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "非法手机号",
                         "RequestId": request_id}
        biz_id = f"{uuid.uuid4().int % 10**18}^0"
        with self.lock:
            self.messages.append({**query, "BizId": biz_id})
        return 200, {"Code": "OK", "Message": "OK", "BizId": biz_id, "RequestId": request_id}


def _handler(fake: FakeAliyun) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            parts = urlsplit(self.path)
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            signed = signature_ok("POST", parts.path, parts.query, self.headers, body)
            query = dict(parse_qsl(parts.query, keep_blank_values=True))
            status, answer = fake.answer(self.headers.get("x-acs-action", ""), signed, query)
            data = json.dumps(answer, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json;charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


@contextmanager
def running() -> Iterator[FakeAliyun]:
    fake = FakeAliyun()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()


def use(settings: Any, fake: FakeAliyun) -> None:
    """Point the desk's Aliyun backend at the fake (pytest-django's `settings` fixture)."""
    settings.UNLOCKDESK_SMS_BACKEND = "unlockdesk.intake.aliyun_sms.AliyunSmsBackend"
    settings.UNLOCKDESK_ALIYUN_ACCESS_KEY_ID = ACCESS_KEY_ID
    settings.UNLOCKDESK_ALIYUN_ACCESS_KEY_SECRET = ACCESS_KEY_SECRET
    settings.UNLOCKDESK_ALIYUN_SMS_SIGN_NAME = SIGN_NAME
    settings.UNLOCKDESK_ALIYUN_SMS_TEMPLATES = TEMPLATES
    settings.UNLOCKDESK_ALIYUN_SMS_ENDPOINT = fake.url
