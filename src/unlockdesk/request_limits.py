"""How much of a request the server will read: a cap on the whole body, checked while it
streams, and a cap on each uploaded file, checked while the file streams.

`BodyLimit` wraps the ASGI app. A declared Content-Length over UNLOCKDESK_MAX_REQUEST_BYTES is
refused with 413 before a byte is read; a chunked body is counted as it arrives and cut off
at the cap (Django would otherwise spool all of it before any view could say no).

`FileSizeLimitHandler` is the first upload handler: once a file passes
UNLOCKDESK_UPLOAD_FILE_MAX_BYTES the rest of it is dropped as it streams, and the view gets an
empty stand-in whose `size` says how big it was, so it refuses the file with its own message
without reading anything into memory.
"""

import io
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler

Scope = dict[str, Any]
Message = dict[str, Any]


def _refusal(limit: int) -> bytes:
    mb = limit // (1024 * 1024)
    return (f"请求内容过大（最多 {mb} MB），请发送较小或较少的文件。\n"
            f"The request is too large (at most {mb} MB). Please send fewer or smaller files.\n"
            ).encode()


class BodyLimit:
    """ASGI middleware: HTTP request bodies over the cap get a 413 and are not read further."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = int(settings.UNLOCKDESK_MAX_REQUEST_BYTES)
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _send_413(send, limit)
            return
        seen = 0
        overflow = False
        started = False

        async def limited_receive() -> Message:
            nonlocal seen, overflow
            if overflow:
                return {"type": "http.disconnect"}
            message: Message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    overflow = True
                    return {"type": "http.disconnect"}
            return message

        async def tracked_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        await self.app(scope, limited_receive, tracked_send)
        if overflow and not started:
            await _send_413(send, limit)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _send_413(send: Any, limit: int) -> None:
    body = _refusal(limit)
    await send({"type": "http.response.start", "status": 413, "headers": [
        (b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()),
        (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


class OversizedUpload(UploadedFile):
    """Stands in for a file that passed the per-file cap: no content, its size as streamed."""

    def __init__(self, name: str, content_type: str, size: int, charset: str | None) -> None:
        super().__init__(io.BytesIO(), name, content_type, size, charset)


class FileSizeLimitHandler(FileUploadHandler):
    """First in FILE_UPLOAD_HANDLERS: drops a file's bytes past the per-file cap while it streams."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.seen = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.seen += len(raw_data)
        if self.seen > settings.UNLOCKDESK_UPLOAD_FILE_MAX_BYTES:
            return None  # later handlers (memory, temporary file) get nothing more of it
        return raw_data

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if self.seen > settings.UNLOCKDESK_UPLOAD_FILE_MAX_BYTES:
            return OversizedUpload(self.file_name or "file", self.content_type or "",
                                   self.seen, self.charset)
        return None
