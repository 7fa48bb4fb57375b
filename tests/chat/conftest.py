"""Chat test helpers: sockets through the real ASGI application (Origin check, sessions),
on the in-memory channel layer and on Redis (REDIS_URL when set, else UNLOCKDESK_CHAT_TEST_REDIS,
else db 1 on localhost)."""

import json
import os
import uuid
from typing import Any

import pytest
from channels.layers import channel_layers
from channels.testing import WebsocketCommunicator
from django.test import Client

from tests.helpers import console_login
from unlockdesk.chat import services
from unlockdesk.chat.identity import VisitorIdentity, anonymous, new_visitor_token
from unlockdesk.chat.models import Conversation
from unlockdesk.settings import worker_redis_database
from unlockdesk.staff.models import Agent
from unlockdesk.tickets.types import IdentityKind

ORIGIN = b"http://127.0.0.1:8000"
MEMORY_LAYER = "unlockdesk.channel_layer.SweepingInMemoryChannelLayer"
REDIS = (os.environ.get("REDIS_URL") or os.environ.get("UNLOCKDESK_CHAT_TEST_REDIS")
         or "redis://127.0.0.1:6379/1")
if os.environ.get("PYTEST_XDIST_WORKER") and not os.environ.get("REDIS_URL"):
    REDIS = worker_redis_database(REDIS, os.environ["PYTEST_XDIST_WORKER"])  # settings did it for REDIS_URL


def redis_available() -> bool:
    try:
        import redis

        redis.Redis.from_url(REDIS, socket_connect_timeout=1).ping()
    except Exception:
        return False
    return True


@pytest.fixture(params=["memory", "redis"])
def layer(request: Any, settings: Any) -> Any:
    """Each consumer test runs on both channel layers."""
    if request.param == "redis":
        if not redis_available():
            pytest.skip("Redis is not running")
        settings.CHANNEL_LAYERS = {"default": {  # the scaled deployment's (settings.py)
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [{"address": REDIS, "socket_timeout": None}],
                       "prefix": f"chat-test-{uuid.uuid4().hex[:8]}:"},
        }}
    else:
        settings.CHANNEL_LAYERS = {"default": {"BACKEND": MEMORY_LAYER}}
    channel_layers.backends = {}
    yield request.param
    channel_layers.backends = {}


class Socket:
    """A websocket client that collects frames and can wait for one of a kind."""

    def __init__(self, communicator: WebsocketCommunicator) -> None:
        self.ws = communicator
        self.frames: list[dict[str, Any]] = []

    async def send(self, **frame: Any) -> None:
        await self.ws.send_to(text_data=json.dumps(frame))

    async def send_raw(self, text: str) -> None:
        await self.ws.send_to(text_data=text)

    async def next(self, timeout: float = 5) -> dict[str, Any]:
        frame = json.loads(await self.ws.receive_from(timeout=timeout))
        self.frames.append(frame)
        return frame

    async def wait_for(self, kind: str, timeout: float = 5, **match: Any) -> dict[str, Any]:
        while True:
            frame = await self.next(timeout)
            if frame.get("type") == kind and all(frame.get(k) == v for k, v in match.items()):
                return frame

    async def quiet(self, timeout: float = 0.3) -> list[dict[str, Any]]:
        """Every frame that arrives within `timeout` (to prove something did NOT arrive)."""
        got = []
        while not await self.ws.receive_nothing(timeout=timeout, interval=0.02):
            got.append(await self.next())
        return got

    async def close(self) -> None:
        await self.ws.disconnect()


async def open_socket(path: str, *, cookie: str = "", origin: bytes = ORIGIN) -> tuple[bool, Socket]:
    from unlockdesk.asgi import application

    headers = [(b"origin", origin), (b"host", b"127.0.0.1:8000")]
    if cookie:
        headers.append((b"cookie", cookie.encode()))
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, _ = await communicator.connect(timeout=5)
    return connected, Socket(communicator)


async def visitor(*, token: str = "", conversation: str = "", last_seq: int = 0,
                  cookie: str = "", **extra: Any) -> tuple[Socket, dict[str, Any]]:
    connected, socket = await open_socket("/ws/chat/visitor/", cookie=cookie)
    assert connected
    await socket.send(type="hello", token=token, conversation=conversation, last_seq=last_seq,
                      language="en", **extra)
    return socket, await socket.wait_for("welcome")


def agent_cookie(agent: Agent) -> str:
    client = console_login(Client(), agent)
    return f"sessionid={client.cookies['sessionid'].value}"


async def agent_socket(agent: Agent) -> tuple[Socket, dict[str, Any]]:
    connected, socket = await open_socket("/ws/chat/agent/", cookie=agent_cookie(agent))
    assert connected
    return socket, await socket.wait_for("chats")


def cid() -> str:
    return uuid.uuid4().hex



def chat_with_ticket(email: str = "", text: str = "My account is locked") -> tuple[str, Conversation]:
    """A visitor's conversation that has opened its ticket ("talk to an agent"), and the
    visitor's token; proven as `email` when given, else anonymous."""
    visitor_id, token = new_visitor_token()
    who = (VisitorIdentity(IdentityKind.EMAIL, email, verified=True) if email
           else anonymous(visitor_id))
    conversation = services.open_conversation(visitor=visitor_id, identity=who, language="en")
    posted = services.send_to_agent(conversation=conversation, text=text, client_id=cid(),
                                    open_ticket=True)
    return token, posted.conversation
