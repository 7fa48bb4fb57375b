"""An ASGI live server for the chat's browser tests: uvicorn in a thread, against the test
database, with static files served from the finders (pytest-django's live_server is WSGI and
cannot speak websockets)."""

import socket
import threading
import time
from typing import Any

import uvicorn
from channels.routing import ProtocolTypeRouter
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class AsgiLiveServer:
    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server: uvicorn.Server | None = None
        self.thread: threading.Thread | None = None

    def start(self) -> "AsgiLiveServer":
        from unlockdesk import asgi

        app: Any = ProtocolTypeRouter({
            "http": ASGIStaticFilesHandler(asgi.django_asgi),
            "websocket": asgi.application.application_mapping["websocket"],
        })
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning",
                                lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the ASGI live server did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        """Like a crash or a deploy: every socket is cut; nothing in memory survives."""
        if self.server is not None and self.thread is not None:
            self.server.should_exit = True
            self.server.force_exit = True
            self.thread.join(10)
        self.server = None
