"""Files over the social providers' HTTP APIs: downloads capped in size, multipart uploads.

A download reads at most the attachment limit plus one byte, so a huge file is refused without
being held in memory; the size check that the customer hears about is `tickets.attachments`'s.
Media URLs that arrive in a webhook are fetched only from the provider's own hosts
(`UNLOCKDESK_*_MEDIA_HOSTS`): a signed webhook still never makes the desk fetch any address.
"""

import json
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterable
from typing import Any

from django.conf import settings

from unlockdesk.tickets.types import DeliveryResult, FetchedFile, FetchFailed, OutboundFile

TIMEOUT_SECONDS = 30


def host_allowed(url: str, hosts: Iterable[str]) -> bool:
    """Whether `url` is http(s) on one of `hosts` or a subdomain of one."""
    parsed = urllib.parse.urlsplit(url)
    host = (parsed.hostname or "").lower()
    if parsed.scheme not in ("https", "http") or not host:
        return False
    return any(host == h or host.endswith("." + h) for h in (h.strip().lower() for h in hosts) if h)


def download(url: str, *, headers: dict[str, str] | None = None, filename: str = "") -> FetchedFile:
    """The file at `url`, read up to the attachment limit (+1 byte, so the checker can refuse a
    larger one); FetchFailed on a network or HTTP error (retryable unless the provider says the
    file is gone or forbidden)."""
    limit = int(settings.UNLOCKDESK_ATTACHMENT_MAX_BYTES) + 1
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 - checked hosts
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            content = response.read(limit)
            declared = response.headers.get_content_type()
    except urllib.error.HTTPError as exc:
        raise FetchFailed(f"HTTP {exc.code}", retryable=exc.code >= 500 or exc.code == 429) from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise FetchFailed(str(exc)[:200]) from exc
    name = filename or urllib.parse.unquote(urllib.parse.urlsplit(url).path.rsplit("/", 1)[-1])
    return FetchedFile(name[:200] or "file", content, declared)


def get_json(url: str, *, headers: dict[str, str] | None = None) -> dict[str, Any]:
    """A provider's JSON answer to a GET; FetchFailed on errors and non-JSON."""
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 - our settings
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            data = json.loads(response.read(1_000_000))
    except urllib.error.HTTPError as exc:
        raise FetchFailed(f"HTTP {exc.code}", retryable=exc.code >= 500 or exc.code == 429) from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise FetchFailed(str(exc)[:200]) from exc
    except ValueError as exc:
        raise FetchFailed("provider answered with something that is not JSON") from exc
    if not isinstance(data, dict):
        raise FetchFailed("provider answered with something that is not a JSON object")
    return data


def multipart(fields: dict[str, str], files: dict[str, OutboundFile]) -> tuple[bytes, str]:
    """A multipart/form-data body and its content type."""
    boundary = f"unlockdesk-{uuid.uuid4().hex}"
    parts: list[bytes] = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                     .encode() + value.encode() + b"\r\n")
    for name, item in files.items():
        safe = item.filename.replace('"', "").replace("\r", "").replace("\n", "")
        parts.append(
            (f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
             f'filename="{safe}"\r\nContent-Type: {item.content_type}\r\n\r\n').encode()
            + item.content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def post_multipart(url: str, fields: dict[str, str], files: dict[str, OutboundFile],
                   headers: dict[str, str] | None = None) -> DeliveryResult:
    """POST a multipart form; the provider's answer (first 200 characters) is the provider id."""
    status, body = _post(url, fields, files, headers)
    if status:
        return DeliveryResult(False, error=f"HTTP {status}" if status > 0 else body,
                              retryable=status < 0 or status >= 500 or status == 429)
    return DeliveryResult(True, provider_id=body[:200])


def upload_json(url: str, fields: dict[str, str], files: dict[str, OutboundFile],
                headers: dict[str, str] | None = None) -> dict[str, Any] | DeliveryResult:
    """A multipart upload whose JSON answer the next step needs (an attachment or media id);
    a failed DeliveryResult when it did not work."""
    status, body = _post(url, fields, files, headers)
    if status:
        return DeliveryResult(False, error=f"HTTP {status}" if status > 0 else body,
                              retryable=status < 0 or status >= 500 or status == 429)
    try:
        data = json.loads(body)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        return DeliveryResult(False, error="upload answer is not a JSON object", retryable=True)
    return data


def _post(url: str, fields: dict[str, str], files: dict[str, OutboundFile],
          headers: dict[str, str] | None) -> tuple[int, str]:
    """(0, body) on success; (HTTP status, "") or (-1, error) on failure."""
    body, content_type = multipart(fields, files)
    request = urllib.request.Request(  # noqa: S310 - URLs from our own settings
        url, data=body, method="POST", headers={"Content-Type": content_type, **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            return 0, response.read(65536).decode(errors="replace")
    except urllib.error.HTTPError as exc:
        return exc.code, ""
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        return -1, str(exc)[:200]
