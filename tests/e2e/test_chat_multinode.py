"""Two real server processes share conversations through the Redis channel layer: the
customer is connected to one node, the agent to the other; when the customer's node dies,
they reconnect to the other node and get exactly what they missed. The nodes share the
database CI points at (a throwaway PostgreSQL database when DATABASE_URL is PostgreSQL, else
one SQLite file)."""

import asyncio
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.chat.conftest import REDIS, redis_available
from tests.e2e.chat_server import free_port

pytestmark = [pytest.mark.e2e]

ROOT = Path(__file__).resolve().parents[2]
SIGN_IN = """
import django
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
from tests.factories import make_agent
from tests.helpers import console_login
client = console_login(Client(), make_agent(username="mnode", agent_number="M0001"))
print(client.cookies["sessionid"].value)
"""


@contextmanager
def shared_database(tmp_path: Path) -> Iterator[str]:
    """A database both nodes use: throwaway, on the server DATABASE_URL names when it is
    PostgreSQL (so the row locks and sequences under test are the real ones)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{tmp_path / 'shared.sqlite3'}"
        return
    import psycopg

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'unlockdesk'}_mnode_{uuid.uuid4().hex[:8]}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def nodes(tmp_path: Path) -> Iterator[tuple[list[subprocess.Popen[bytes]], list[str], str]]:
    if not redis_available():
        pytest.skip("Redis is not running")
    with shared_database(tmp_path) as database_url:
        yield from _run_nodes(tmp_path, database_url)


def _run_nodes(tmp_path: Path,
               database_url: str) -> Iterator[tuple[list[subprocess.Popen[bytes]], list[str], str]]:
    env = {**os.environ, "UNLOCKDESK_DATA_DIR": str(tmp_path), "REDIS_URL": REDIS,
           "DATABASE_URL": database_url, "UNLOCKDESK_TASKS_EAGER": "1",
           "UNLOCKDESK_CACHE_PREFIX": f"chat-mnode-{uuid.uuid4().hex[:8]}",
           "DJANGO_SETTINGS_MODULE": "unlockdesk.settings", "PYTHONPATH": str(ROOT)}
    env.pop("UNLOCKDESK_TEST_DB_NAME", None)
    subprocess.run([sys.executable, "-m", "unlockdesk.cli", "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    # The agent signs in through the shared helper, run against the nodes' database.
    signed_in = subprocess.run([sys.executable, "-c", SIGN_IN], env=env, check=True, cwd=ROOT,
                               capture_output=True, text=True)
    cookie = f"sessionid={signed_in.stdout.strip().splitlines()[-1]}"
    ports = [free_port(), free_port()]
    processes = [subprocess.Popen([sys.executable, "-m", "uvicorn", "unlockdesk.asgi:application",
                                   "--port", str(port), "--log-level", "warning"], env=env, cwd=ROOT)
                 for port in ports]
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    _NODE_ENV.update(dict.fromkeys(urls, env))
    try:
        for url in urls:
            _wait_up(url)
        yield processes, urls, cookie
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(10)


_NODE_ENV: dict[str, dict[str, str]] = {}  # each node's environment, to restart it


def _wait_up(url: str) -> None:
    deadline = time.monotonic() + 120  # a shared, busy machine imports Django slowly
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{url}/portal/signin/", timeout=2)
            return
        except urllib.error.HTTPError:  # it answers: it is up
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not start")


class Client:
    def __init__(self, ws: Any) -> None:
        self.ws = ws

    async def send(self, **frame: Any) -> None:
        await self.ws.send(json.dumps(frame))

    async def wait_for(self, kind: str, **match: Any) -> dict[str, Any]:
        while True:
            frame = json.loads(await asyncio.wait_for(self.ws.recv(), 10))
            if frame["type"] == kind and all(frame.get(k) == v for k, v in match.items()):
                return frame

    async def quiet(self, seconds: float) -> list[dict[str, Any]]:
        frames = []
        try:
            while True:
                frames.append(json.loads(await asyncio.wait_for(self.ws.recv(), seconds)))
        except TimeoutError:
            return frames


async def _connect(url: str, path: str, cookie: str = "") -> Client:
    from websockets.asyncio.client import connect

    headers = {"Cookie": cookie} if cookie else {}
    ws = await connect(url.replace("http", "ws") + path, origin=url, additional_headers=headers)  # type: ignore[arg-type]
    return Client(ws)


def test_chat_customer_and_agent_on_different_nodes_share_the_conversation(nodes: Any) -> None:
    processes, (node_a, node_b), cookie = nodes
    # Playwright's sync API keeps an event loop running in this thread for the whole session
    # once another e2e test has used it, so the story gets a thread (and loop) of its own.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, _story(processes, node_a, node_b, cookie)).result()


async def _story(processes: list[subprocess.Popen[bytes]], node_a: str, node_b: str, cookie: str) -> None:
    customer = await _connect(node_a, "/ws/chat/visitor/")
    await customer.send(type="hello", language="en")
    welcome = await customer.wait_for("welcome")
    await customer.send(type="talk", text="My account is locked", client_id="mnode-question-1")
    await customer.wait_for("ack")

    agent = await _connect(node_b, "/ws/chat/agent/", cookie)
    chats = await agent.wait_for("chats")
    assert welcome["conversation"] in [c["id"] for c in chats["items"]]
    await agent.send(type="open", conversation=welcome["conversation"])
    await agent.wait_for("message", direction="in")
    await agent.send(type="accept", conversation=welcome["conversation"])
    assert "M0001" in (await customer.wait_for("agent_joined"))["agent"]
    await agent.send(type="reply", conversation=welcome["conversation"], text="Hello from node B",
                     client_id="mnode-reply-1")
    reply = await customer.wait_for("message", text="Hello from node B")
    assert "M0001" in reply["author"]
    await customer.send(type="message", text="Hello from node A", client_id="mnode-message-1")
    await agent.wait_for("message", text="Hello from node A")
    last_seen = (await customer.wait_for("message", text="Hello from node A"))["seq"]

    processes[0].kill()                                  # the customer's node dies
    await agent.send(type="reply", conversation=welcome["conversation"], text="While you were away",
                     client_id="mnode-reply-2")
    await agent.wait_for("ack")
    back = await _connect(node_b, "/ws/chat/visitor/")
    await back.send(type="hello", token=welcome["token"], conversation=welcome["conversation"],
                    last_seq=last_seen, language="en")
    await back.wait_for("welcome")
    missed = [f for f in await back.quiet(1.0) if f["type"] == "message"]
    assert [f["text"] for f in missed] == ["While you were away"]
    await agent.ws.close()
    await back.ws.close()


def test_chat_agent_node_restart_loses_nothing(nodes: Any) -> None:
    """The agent's node is restarted while the customer keeps writing on the other node: the
    agent reconnects (to the restarted node) with the last number seen and gets exactly the
    messages written meanwhile, each once; nothing the customer was acknowledged is missing."""
    processes, (node_a, node_b), cookie = nodes
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, _agent_restart_story(processes, node_a, node_b, cookie)).result()


async def _agent_restart_story(processes: list[subprocess.Popen[bytes]], node_a: str, node_b: str,
                               cookie: str) -> None:
    customer = await _connect(node_a, "/ws/chat/visitor/")
    await customer.send(type="hello", language="en")
    welcome = await customer.wait_for("welcome")
    await customer.send(type="talk", text="My account is locked", client_id="restart-question-1")
    await customer.wait_for("ack")
    agent = await _connect(node_b, "/ws/chat/agent/", cookie)
    await agent.wait_for("chats")
    await agent.send(type="open", conversation=welcome["conversation"])
    first = await agent.wait_for("message", direction="in")
    last_seen = max([first["seq"], *[f["seq"] for f in await agent.quiet(1.0) if f["type"] == "message"]])

    processes[1].terminate()                             # the agent's node restarts
    processes[1].wait(10)
    written = []
    for n in range(3):
        client_id = f"restart-while-down-{n}"
        await customer.send(type="message", text=f"while the agent was away {n}", client_id=client_id)
        written.append((await customer.wait_for("ack", client_id=client_id))["seq"])
    processes[1] = _restart(processes[1], node_b)
    agent = await _connect(node_b, "/ws/chat/agent/", cookie)
    await agent.wait_for("chats")
    await agent.send(type="open", conversation=welcome["conversation"], last_seq=last_seen)
    missed = [f for f in await agent.quiet(1.5) if f["type"] == "message"]
    assert [f["text"] for f in missed] == [f"while the agent was away {n}" for n in range(3)]
    assert [f["seq"] for f in missed] == written

    # Live again across the nodes, both ways.
    await customer.send(type="message", text="are you back?", client_id="restart-after")
    await agent.wait_for("message", text="are you back?")
    await agent.send(type="reply", conversation=welcome["conversation"], text="Yes, back.",
                     client_id="restart-reply")
    await customer.wait_for("message", text="Yes, back.")
    await agent.ws.close()
    await customer.ws.close()


def _restart(process: subprocess.Popen[bytes], url: str) -> subprocess.Popen[bytes]:
    """Start the node again on its port, with the same command and environment."""
    command = [str(part) for part in process.args]  # type: ignore[union-attr]
    fresh = subprocess.Popen(command, env=_NODE_ENV[url], cwd=ROOT)
    _wait_up(url)
    return fresh
