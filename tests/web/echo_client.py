"""A few lines of ASGI that answer with the client address and scheme the server reported, to
see what uvicorn believes under the flags our commands give it; a websocket is accepted and
echoed, to see what uvicorn negotiates."""

from typing import Any


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "websocket":
        return await _echo(receive, send)
    assert scope["type"] == "http"
    client = scope.get("client") or ("", 0)
    body = f"{client[0]} {scope.get('scheme', '')}".encode()
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"text/plain"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


async def _echo(receive: Any, send: Any) -> None:
    while True:
        event = await receive()
        if event["type"] == "websocket.connect":
            await send({"type": "websocket.accept"})
        elif event["type"] == "websocket.receive":
            await send({"type": "websocket.send", "text": event.get("text") or ""})
        else:
            return
