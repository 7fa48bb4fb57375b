"""A few lines of ASGI that answer with the client address and scheme the server reported, to
see what uvicorn believes under the flags our commands give it."""

from typing import Any


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    assert scope["type"] == "http"
    client = scope.get("client") or ("", 0)
    body = f"{client[0]} {scope.get('scheme', '')}".encode()
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"text/plain"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
