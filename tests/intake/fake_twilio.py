"""A local fake of the part of Twilio's REST API the desk uses: creating a Message.

It speaks Twilio's wire format (form-encoded create, JSON answers, Twilio's error JSON), checks
HTTP Basic auth with the account SID and token, and keeps what it was sent. Twilio's published
magic test numbers pick the failures: +15005550001 is an invalid number (21211) and
+15005550009 cannot receive SMS (21614). `fail_next(status)` makes the next create fail.
`report(sid, status)` posts a status callback the way Twilio does, signed with the token.
Voice: creating a Call (click-to-call) is kept in `calls`; `post_signed(url, fields)` posts any
voice webhook (IVR steps, call status, dial reports) signed the way Twilio signs them.
"""

import base64
import hashlib
import hmac
import json
import threading
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode

ACCOUNT_SID = "AC" + "0" * 31 + "1"
AUTH_TOKEN = "fake-twilio-token"
FROM = "+15005550006"
INVALID_NUMBER = "+15005550001"
NOT_MOBILE = "+15005550009"
ERRORS = {
    INVALID_NUMBER: (21211, "The 'To' number +15005550001 is not a valid phone number."),
    NOT_MOBILE: (21614, "'To' number is not a valid mobile number"),
}


@dataclass
class FakeTwilio:
    url: str = ""
    messages: list[dict[str, str]] = field(default_factory=list)
    failures: list[int] = field(default_factory=list)
    calls: list[dict[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def fail_next(self, status: int) -> None:
        with self.lock:
            self.failures.append(status)

    def create(self, account: str, auth: str, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        expected = "Basic " + base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()
        if auth != expected or account != ACCOUNT_SID:
            return 401, {"code": 20003, "message": "Authenticate", "status": 401}
        with self.lock:
            failure = self.failures.pop(0) if self.failures else None
        if failure:
            return failure, {"code": 20500, "message": "Internal Server Error", "status": failure}
        to = form.get("To", "")
        if to in ERRORS:
            code, message = ERRORS[to]
            return 400, {"code": code, "message": message, "status": 400,
                         "more_info": f"https://www.twilio.com/docs/errors/{code}"}
        if not form.get("Body") or not (form.get("From") or form.get("MessagingServiceSid")):
            return 400, {"code": 21602, "message": "Message body is required.", "status": 400}
        sid = "SM" + uuid.uuid4().hex
        with self.lock:
            self.messages.append({**form, "Sid": sid})
        return 201, {"sid": sid, "account_sid": account, "to": to, "from": form.get("From"),
                     "body": form["Body"], "status": "queued", "num_segments": "1",
                     "error_code": None, "error_message": None, "direction": "outbound-api",
                     "api_version": "2010-04-01",
                     "uri": f"/2010-04-01/Accounts/{account}/Messages/{sid}.json"}

    def create_call(self, account: str, auth: str, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        expected = "Basic " + base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()
        if auth != expected or account != ACCOUNT_SID:
            return 401, {"code": 20003, "message": "Authenticate", "status": 401}
        with self.lock:
            failure = self.failures.pop(0) if self.failures else None
        if failure:
            return failure, {"code": 20500, "message": "Internal Server Error", "status": failure}
        to = form.get("To", "")
        if to in ERRORS:
            code, message = ERRORS[to]
            return 400, {"code": code, "message": message, "status": 400}
        if not form.get("From") or not (form.get("Url") or form.get("Twiml")):
            return 400, {"code": 21205, "message": "Url or Twiml parameter is required.", "status": 400}
        sid = "CA" + uuid.uuid4().hex
        with self.lock:
            self.calls.append({**form, "Sid": sid})
        return 201, {"sid": sid, "account_sid": account, "to": to, "from": form["From"],
                     "status": "queued", "direction": "outbound-api", "api_version": "2010-04-01",
                     "uri": f"/2010-04-01/Accounts/{account}/Calls/{sid}.json"}

    def report(self, sid: str, status: str, *, error_code: int | None = None,
               token: str = AUTH_TOKEN) -> int:
        """POST Twilio's status callback for a message to the URL it was created with."""
        [message] = [m for m in self.messages if m["Sid"] == sid]
        url = message["StatusCallback"]
        fields = {"MessageSid": sid, "SmsSid": sid, "MessageStatus": status, "SmsStatus": status,
                  "AccountSid": ACCOUNT_SID, "To": message["To"], "From": message.get("From", ""),
                  "ApiVersion": "2010-04-01"}
        if error_code is not None:
            fields["ErrorCode"] = str(error_code)
        return post_signed(url, fields, token=token)[0]


def sign(url: str, fields: dict[str, str], token: str = AUTH_TOKEN) -> str:
    """Twilio's scheme: the URL, then each field's name and value sorted by name, HMAC-SHA1."""
    signed = url + "".join(name + fields[name] for name in sorted(fields))
    return base64.b64encode(hmac.new(token.encode(), signed.encode(), hashlib.sha1).digest()).decode()


def post_signed(url: str, fields: dict[str, str], *, token: str = AUTH_TOKEN,
                signature: str | None = None) -> tuple[int, str]:
    """POST a webhook the way Twilio does; returns the status and the body (TwiML)."""
    signature = sign(url, fields, token) if signature is None else signature
    request = urllib.request.Request(url, data=urlencode(fields).encode(), method="POST", headers={
        "Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature,
    })
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return int(response.status), response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def _handler(fake: FakeTwilio) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            parts = self.path.split("?")[0].strip("/").split("/")
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
            form = {k: v[0] for k, v in parse_qs(body).items()}
            auth = self.headers.get("Authorization", "")
            if len(parts) == 4 and parts[:2] == ["2010-04-01", "Accounts"] and parts[3] == "Messages.json":
                status, answer = fake.create(parts[2], auth, form)
            elif len(parts) == 4 and parts[:2] == ["2010-04-01", "Accounts"] and parts[3] == "Calls.json":
                status, answer = fake.create_call(parts[2], auth, form)
            else:
                status, answer = 404, {"code": 20404, "message": "not found", "status": 404}
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


@contextmanager
def running() -> Iterator[FakeTwilio]:
    fake = FakeTwilio()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()


def use(settings: Any, fake: FakeTwilio) -> None:
    """Point the desk's Twilio backend at the fake (pytest-django's `settings` fixture)."""
    settings.UNLOCKDESK_SMS_BACKEND = "unlockdesk.intake.twilio_sms.TwilioSmsBackend"
    settings.UNLOCKDESK_TWILIO_ACCOUNT_SID = ACCOUNT_SID
    settings.UNLOCKDESK_TWILIO_AUTH_TOKEN = AUTH_TOKEN
    settings.UNLOCKDESK_TWILIO_FROM = FROM
    settings.UNLOCKDESK_TWILIO_API_URL = fake.url
