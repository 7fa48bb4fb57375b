"""Live-chat load: N customer sockets and M agent sockets against the real ASGI server.

Starts uvicorn in a subprocess on a fresh database, opens N visitor sockets (each says hello
and "talk to an agent", which opens a ticket), M agent sockets (signed in through the console
login form, each following the live list and one open chat), then customers send R messages
per second in total for D seconds. Every message goes through the pipeline (receive(): scan,
thread, persist) before it is acknowledged, and reaches the agents' live list over the channel
layer.

Reported: connections held, messages/s stored, delivery latency from a customer's send to the
agents' sockets (p50/p99), the echo latency back to the customer, and server memory per
connection (RSS growth / N). The same load then runs against a bare websocket broadcast server
(a few lines of ASGI on the same uvicorn, no Django, no database) as the floor.

    .venv/bin/python bench/chat.py [--clients 200] [--agents 10] [--rate 500] [--duration 20]
                                   [--clients 100,200,400 for a sweep] [--database-url postgres://...]

Overload is part of the load: a message the server refuses with a "busy, retry after N s"
frame is resent after N s with the same client id, as the widget does. Afterwards the
database is counted: `lost` = sent but never stored, `duplicated` = stored more than once.
After the last send the benchmark waits while acknowledgements keep coming (up to 300 s, until
10 s pass without one and no refused message waits for its resend), so a backlog the server is
still working through is not counted lost;
the drain time shows in stored_per_s.
Also printed (not in the BENCH line): CPU time per stored message of the server's processes and
of this load's client, steadier than latency for comparing runs on a shared machine.
Sockets that fail to connect or are closed by the server are counted as `dropped`; the
benchmark reports them, it does not stop. `--idle N` also opens N idle visitor sockets on one
process and reports the memory each costs (idle_held, idle_kb_per_conn).

    .venv/bin/python bench/chat.py --workers 2 --database-url postgres://postgres@127.0.0.1/bench_chatspeed \
        --clients 1000 --agents 20 --rate 500 --duration 30

With a PostgreSQL URL the benchmark creates a fresh database named after it (plus a random
suffix) and drops it afterwards; more than one worker uses Redis (BENCH_CHAT_REDIS, default db 1).

The machine has 2 cores and other work may run at the same time; the client generating the
load shares those cores with the server. Figures are noisy: compare runs made together.
Last line: BENCH chat clients=N rate=R workers=W db=sqlite|postgresql held=.. dropped=..
stored_per_s=.. lost=.. duplicated=.. p50_ms=.. p99_ms=.. mem_kb_per_conn=.. ratio_vs_bare=..
(p50/p99: a customer's accepted send to the agents' sockets; ratio_vs_bare = p99 of the desk /
p99 of the bare server, same load).
"""

import sys
from pathlib import Path

# Run as a script, bench/ is first on sys.path, where sibling benchmarks (bench/email.py)
# would shadow the standard library.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import asyncio  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import urllib.error  # noqa: E402
import urllib.request  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from typing import Any  # noqa: E402
from urllib.parse import urlsplit, urlunsplit  # noqa: E402

from unlockdesk.proxies import WEBSOCKET_ARGS  # noqa: E402 - the options `unlockdesk serve` gives

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "bench-password-2026"  # noqa: S105 - throwaway agents in a throwaway database
TOTP_KEY = "3132333435363738393031323334353637383930"  # their authenticator secret (RFC 6238's)


# --- the floor: a bare broadcast server, no Django ------------------------------------------

_bare_agents: set[Any] = set()
_bare_seq: dict[str, int] = {}


async def bare_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """Customers on /ws/chat/visitor/, agents on /ws/chat/agent/: ack + echo + fan-out to agents."""
    if scope["type"] == "http":
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"bare"})
        return
    if scope["type"] != "websocket":
        return
    agent = scope["path"].endswith("/agent/")
    room = ""
    await receive()  # websocket.connect
    await send({"type": "websocket.accept"})

    async def out(frame: dict[str, Any], to: Any = None) -> None:
        await (to or send)({"type": "websocket.send", "text": json.dumps(frame)})

    if agent:
        _bare_agents.add(send)
        await out({"type": "chats", "items": []})
    while True:
        event = await receive()
        if event["type"] == "websocket.disconnect":
            _bare_agents.discard(send)
            return
        frame = json.loads(event.get("text") or "{}")
        if frame.get("type") == "hello":
            room = os.urandom(8).hex()
            await out({"type": "welcome", "conversation": room, "token": ""})
        elif frame.get("type") in ("talk", "message"):
            seq = _bare_seq[room] = _bare_seq.get(room, 0) + 1
            await out({"type": "ack", "client_id": frame.get("client_id"), "seq": seq})
            await out({"type": "message", "seq": seq, "client_id": frame.get("client_id")})
            for agent_send in list(_bare_agents):
                try:
                    await out({"type": "activity", "id": room, "seq": seq}, agent_send)
                except Exception:  # noqa: S112 - a closed agent socket
                    continue


# --- running a server -----------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def process_tree(pid: int) -> Iterator[int]:
    """A server process and its workers (uvicorn --workers), as long as they run."""
    yield pid
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return
    for child in children:
        yield from process_tree(int(child))


def rss_kb(pid: int) -> int:
    """Resident memory of a server process and its workers."""
    total = 0
    for member in process_tree(pid):
        try:
            match = re.search(r"VmRSS:\s+(\d+)", Path(f"/proc/{member}/status").read_text())
        except OSError:
            continue
        total += int(match.group(1)) if match else 0
    return total


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a server process and its workers, from /proc."""
    ticks = 0
    for member in process_tree(pid):
        try:
            fields = Path(f"/proc/{member}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def wait_up(url: str, path: str) -> None:
    deadline = time.monotonic() + 180  # a busy shared machine imports Django slowly
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url + path, timeout=1)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not start")


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    url: str

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def desk_env(data_dir: Path, database_url: str, workers: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "UNLOCKDESK_TEST_DB_NAME")}
    if workers > 1:  # workers share conversations through the Redis channel layer
        env["REDIS_URL"] = os.environ.get("BENCH_CHAT_REDIS", "redis://127.0.0.1:6379/1")
        env["UNLOCKDESK_CACHE_PREFIX"] = f"bench-chat-{os.getpid()}"
    env.update({
        "UNLOCKDESK_DATA_DIR": str(data_dir),
        "DATABASE_URL": database_url or f"sqlite:///{data_dir / 'bench.sqlite3'}",
        "UNLOCKDESK_TASKS_EAGER": "1",
        "UNLOCKDESK_SECURE_COOKIES": "0",
        "UNLOCKDESK_LOG_LEVEL": "WARNING",
        "UNLOCKDESK_CHAT_RATE_PER_SECOND": "1000",
        "UNLOCKDESK_CHAT_BURST": "1000",
        "DJANGO_SETTINGS_MODULE": "unlockdesk.settings",
    })
    return env


def prepare_desk(env: dict[str, str], agents: int) -> None:
    python = sys.executable
    subprocess.run([python, "-m", "unlockdesk.cli", "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run([python, "-m", "unlockdesk.cli", "createcachetable"], env=env, check=True, cwd=ROOT)
    script = (
        "import django; django.setup()\n"
        "from unlockdesk.staff.models import Agent\n"
        f"for n in range({agents}):\n"
        "    if not Agent.objects.filter(username=f'bench{n}').exists():\n"
        f"        Agent.objects.create_user(username=f'bench{{n}}', password='{PASSWORD}',"
        " agent_number=f'B{n:04d}', display_name=f'Bench {n}')\n"
        "from unlockdesk.staff.two_factor import provision_device\n"
        f"for n in range({agents}):\n"
        f"    provision_device(Agent.objects.get(username=f'bench{{n}}'), key_hex='{TOTP_KEY}')\n"
    )
    subprocess.run([python, "-c", script], env=env, check=True, cwd=ROOT)


PORTS: list[int] = []  # --ports: the ports this run may use, in turn (else any free port)


def start(app: str, env: dict[str, str], app_dir: Path | None = None, workers: int = 1) -> Server:
    port = PORTS.pop(0) if PORTS else free_port()
    command = [sys.executable, "-m", "uvicorn", app, "--port", str(port), "--log-level", "warning",
               "--ws-max-queue", "256", *WEBSOCKET_ARGS, "--workers", str(workers)]
    if app_dir:
        command += ["--app-dir", str(app_dir)]
    process = subprocess.Popen(command, env=env, cwd=ROOT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_up(url, "/portal/signin/" if app_dir is None else "/")
    except RuntimeError:
        Server(process, url).stop()
        raise
    return Server(process, url)


def agent_cookie(url: str, n: int) -> str:
    import httpx
    from django_otp.oath import totp

    with httpx.Client(base_url=url) as client:
        page = client.get("/console/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert token, "no CSRF token on the login page"
        client.post("/console/login/", data={"username": f"bench{n}", "password": PASSWORD,
                                             "csrfmiddlewaretoken": token.group(1)},
                    headers={"Referer": url + "/console/login/"})
        page = client.get("/console/staff/two-factor/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert token, "no CSRF token on the two-factor page"
        done = client.post("/console/staff/two-factor/",
                    data={"token": f"{totp(bytes.fromhex(TOTP_KEY)):06d}",
                          "csrfmiddlewaretoken": token.group(1)},
                    headers={"Referer": url + "/console/staff/two-factor/"})
        session = client.cookies.get("sessionid")
        assert done.status_code == 302 and "two-factor" not in done.headers.get("location", ""), \
            "agent login failed (password or TOTP step)"
        assert session, "agent login failed"
        return f"sessionid={session}"


# --- the load -------------------------------------------------------------------------------

@dataclass
class Figures:
    sent: dict[str, float] = field(default_factory=dict)          # client_id -> last (re)send
    seq_of: dict[tuple[str, int], str] = field(default_factory=dict)  # (conversation, seq) -> client_id
    activity: list[tuple[str, int, float]] = field(default_factory=list)
    echo: list[float] = field(default_factory=list)
    acked: set[str] = field(default_factory=set)
    first_ack: float = 0.0
    last_ack: float = 0.0
    busy: int = 0
    errors: int = 0
    dropped: int = 0


async def _quietly(coro: Any) -> Any:
    """A socket that fails counts as dropped; it does not stop the benchmark."""
    try:
        return await coro
    except Exception:
        return None


async def run_load(url: str, pid: int, clients: int, agents: int, rate: float, duration: float,
                   cookies: list[str], marker: str) -> dict[str, Any]:
    from websockets.asyncio.client import connect

    ws_url = url.replace("http", "ws")
    figures = Figures()
    base_rss = rss_kb(pid)

    async def agent_loop(cookie: str) -> Any:
        ws = await connect(ws_url + "/ws/chat/agent/", origin=url,  # type: ignore[arg-type]
                           additional_headers={"Cookie": cookie} if cookie else {}, max_size=None,
                           open_timeout=30, ping_timeout=60)

        async def reader() -> None:
            try:
                async for raw in ws:
                    frame = json.loads(raw)
                    # The desk gathers activity in `items`; a desk before b363a79 sent one
                    # frame each, so old and new code can be run side by side.
                    if frame.get("type") == "activity":
                        now = time.perf_counter()
                        figures.activity += [(item["id"], item["seq"], now)
                                             for item in frame.get("items") or [frame]]
            except Exception:  # noqa: S110 - a dropped agent socket is counted at the end
                pass
        return ws, asyncio.create_task(reader())

    agent_sockets = [a for a in [await _quietly(agent_loop(cookies[n] if cookies else ""))
                                 for n in range(agents)] if a is not None]

    customers: list[tuple[Any, str]] = []

    async def customer(n: int) -> None:
        ws = await connect(ws_url + "/ws/chat/visitor/", origin=url, max_size=None,  # type: ignore[arg-type]
                           open_timeout=60, ping_timeout=60)
        await ws.send(json.dumps({"type": "hello", "language": "en"}))
        conversation = ""
        while not conversation:
            frame = json.loads(await asyncio.wait_for(ws.recv(), 60))
            conversation = frame.get("conversation", "") if frame.get("type") == "welcome" else ""
        talk = json.dumps({"type": "talk", "text": f"Question {n}: my account is locked",
                           "client_id": f"bench-talk-{marker}-{n:06d}"})
        await ws.send(talk)
        while True:
            frame = json.loads(await asyncio.wait_for(ws.recv(), 60))
            if frame.get("type") == "ack":
                break
            if frame.get("retry_after"):  # busy while everyone connects: resend, as the widget does
                await asyncio.sleep(frame["retry_after"])
                await ws.send(talk)
        customers.append((ws, conversation))

    setup_started = time.perf_counter()
    gate = asyncio.Semaphore(16)

    async def gated(n: int) -> None:
        async with gate:
            await _quietly(customer(n))

    await asyncio.gather(*(gated(n) for n in range(clients)))
    setup_seconds = time.perf_counter() - setup_started
    # Each agent also follows one chat, as an agent with a chat open does.
    for n, (ws, _task) in enumerate(agent_sockets):
        if n < len(customers):
            await _quietly(ws.send(json.dumps({"type": "open", "conversation": customers[n][1]})))
    await asyncio.sleep(1.0)
    figures.activity.clear()
    # The load's own sockets live through the run: out of the collector's sight, or a full
    # collection of them (120-150 ms here) stamps every frame that arrives meanwhile late,
    # and the client's pause is counted as the desk's latency.
    gc.collect()
    gc.freeze()
    # When the measured load begins (a profiler attached now sees only it).
    print(f"  {len(customers)} customers connected in {setup_seconds:.1f} s; offering the load now",
          flush=True)
    connected_rss = rss_kb(pid)
    # CPU per stored message is steadier than latency on a shared machine: compare runs by it.
    server_cpu, client_cpu = cpu_seconds(pid), time.process_time()
    texts: dict[str, str] = {}

    async def resend_later(ws: Any, cid: str, after: float) -> None:
        await asyncio.sleep(after)
        if cid not in figures.acked:
            figures.sent[cid] = time.perf_counter()  # latency counts from the accepted send
            await _quietly(ws.send(json.dumps({"type": "message", "text": texts[cid], "client_id": cid})))

    async def customer_reader(ws: Any, conversation: str) -> None:
        try:
            async for raw in ws:
                frame = json.loads(raw)
                kind = frame.get("type")
                cid = frame.get("client_id", "")
                if kind == "ack":
                    if cid in figures.sent and cid not in figures.acked:
                        now = time.perf_counter()
                        figures.acked.add(cid)
                        figures.first_ack = figures.first_ack or now
                        figures.last_ack = now
                        figures.seq_of[(conversation, frame["seq"])] = cid
                elif kind == "message":
                    if cid in figures.sent and frame.get("direction", "in") == "in":
                        figures.echo.append(time.perf_counter() - figures.sent[cid])
                elif kind == "error" and frame.get("retry_after") and cid in texts:
                    figures.busy += 1
                    retries.add(asyncio.create_task(resend_later(ws, cid, float(frame["retry_after"]))))
                elif kind == "error":
                    figures.errors += 1
        except Exception:  # noqa: S110 - a dropped socket is counted at the end
            pass

    retries: set[asyncio.Task[None]] = set()
    readers = [asyncio.create_task(customer_reader(ws, conv)) for ws, conv in customers]
    total = int(rate * duration)
    started = time.perf_counter()
    for k in range(total):
        target = started + k / rate
        delay = target - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        if not customers:
            break
        ws, _conversation = customers[k % len(customers)]
        cid = f"bench-{marker}-{k:08d}"
        texts[cid] = f"message {marker} {k}"
        figures.sent[cid] = time.perf_counter()
        await _quietly(ws.send(json.dumps({"type": "message", "text": texts[cid], "client_id": cid})))
    send_seconds = time.perf_counter() - started
    # Drain while acknowledgements keep coming (the server works through its backlog) or a
    # refused message still waits for its resend (up to 30 s), so `lost` counts what was never
    # stored, not what was still queued or waiting when the run stopped.
    seen, progressed = len(figures.acked), time.perf_counter()
    give_up = progressed + DRAIN_CAP_S
    while len(figures.acked) < total and time.perf_counter() < give_up:
        await asyncio.sleep(0.2)
        if len(figures.acked) != seen:
            seen, progressed = len(figures.acked), time.perf_counter()
        elif (time.perf_counter() - progressed > DRAIN_QUIET_S
              and all(task.done() for task in retries)):
            break
    await asyncio.sleep(0.5)
    elapsed = time.perf_counter() - started
    server_cpu, client_cpu = cpu_seconds(pid) - server_cpu, time.process_time() - client_cpu
    held = sum(1 for ws, _ in customers if ws.state.name == "OPEN")
    held_agents = sum(1 for ws, _ in agent_sockets if ws.state.name == "OPEN")

    latencies = []
    for conversation, seq, t1 in figures.activity:
        sent_as = figures.seq_of.get((conversation, seq))
        if sent_as is not None:
            latencies.append(t1 - figures.sent[sent_as])
    for task in [*readers, *retries]:
        task.cancel()
    for ws, _ in customers:
        await _quietly(ws.close())
    for ws, task in agent_sockets:
        await _quietly(ws.close())
        task.cancel()
    gc.unfreeze()  # the next run (rate, client count or the bare floor) starts clean
    acked = len(figures.acked)
    store_window = (figures.last_ack - started) if figures.last_ack else elapsed
    return {
        "held": held, "held_agents": held_agents, "sent": total, "acked": acked,
        "dropped": (clients - held) + (agents - held_agents), "busy": figures.busy,
        "errors": figures.errors, "send_seconds": send_seconds, "elapsed": elapsed,
        "stored_per_s": acked / max(store_window, 1e-9),
        "setup_seconds": setup_seconds,
        "latencies": latencies, "echo": figures.echo,
        "mem_kb_per_conn": (connected_rss - base_rss) / max(1, clients),
        "server_cpu_ms": server_cpu / max(1, acked) * 1000,
        "client_cpu_ms": client_cpu / max(1, acked) * 1000,
    }


async def hold_idle(url: str, pid: int, count: int) -> dict[str, Any]:
    """Open `count` visitor sockets that say hello and then stay quiet; memory per socket."""
    from websockets.asyncio.client import connect

    ws_url = url.replace("http", "ws")
    base_rss = rss_kb(pid)
    sockets: list[Any] = []
    gate = asyncio.Semaphore(32)

    async def one() -> None:
        async with gate:
            ws = await connect(ws_url + "/ws/chat/visitor/", origin=url,  # type: ignore[arg-type]
                               open_timeout=60, ping_timeout=120)
            await ws.send(json.dumps({"type": "hello", "language": "en"}))
            while json.loads(await asyncio.wait_for(ws.recv(), 60)).get("type") != "welcome":
                pass
            sockets.append(ws)

    await asyncio.gather(*(_quietly(one()) for _ in range(count)))
    await asyncio.sleep(2.0)
    held = sum(1 for ws in sockets if ws.state.name == "OPEN")
    grown = rss_kb(pid) - base_rss
    for ws in sockets:
        await _quietly(ws.close())
    return {"idle_held": held, "idle_kb_per_conn": grown / max(1, held)}


DRAIN_QUIET_S = 10.0   # no acknowledgement for this long: the rest is not coming
DRAIN_CAP_S = 300.0    # and never wait longer than this after the last send


def count_stored(env: dict[str, str], marker: str, sent: int) -> tuple[int, int]:
    """(lost, duplicated) from the database: every bench message sent once, stored once?"""
    script = (
        "import django, json; django.setup()\n"
        "from django.db.models import Count\n"
        "from unlockdesk.tickets.models import Message\n"
        f"rows = Message.objects.filter(body_text__startswith='message {marker} ')"
        ".values('body_text').annotate(n=Count('id')).values_list('body_text', 'n')\n"
        "print(json.dumps(list(rows)))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True,
                          text=True, check=False)
    if done.returncode != 0:
        print(f"    (could not count stored messages: {done.stderr.strip().splitlines()[-1:]})")
        return -1, -1
    rows = json.loads(done.stdout.strip().splitlines()[-1])
    distinct = len(rows)
    return sent - distinct, sum(n - 1 for _text, n in rows)


def load_average() -> str:
    """The machine's 1/5/15-minute load: other work shares the cores, so every figure needs it."""
    return "load average " + ", ".join(f"{value:.2f}" for value in os.getloadavg())


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def report(name: str, result: dict[str, Any], clients: int, agents: int) -> None:
    lat, echo = result["latencies"], result["echo"]
    print(f"  {name}: connections held {result['held']}/{clients} customers + "
          f"{result['held_agents']}/{agents} agents (dropped {result['dropped']}); stored+acked "
          f"{result['acked']}/{result['sent']} ({result['stored_per_s']:.0f} msg/s; offered in "
          f"{result.get('send_seconds', 0):.1f} s); busy frames "
          f"{result['busy']} (resent); other errors {result['errors']}")
    print(f"    delivery to agents: {len(lat)} deliveries, p50 {pct(lat, .5):.1f} ms, "
          f"p99 {pct(lat, .99):.1f} ms, max {pct(lat, 1):.1f} ms")
    print(f"    echo to sender (stored, then shown): p50 {pct(echo, .5):.1f} ms, p99 {pct(echo, .99):.1f} ms;"
          f" memory {result['mem_kb_per_conn']:.0f} KB per connection; setup {result['setup_seconds']:.1f} s")
    if "server_cpu_ms" in result:
        print(f"    CPU per stored message: server {result['server_cpu_ms']:.2f} ms (all its processes), "
              f"this load's client {result['client_cpu_ms']:.2f} ms")


EMPTY: dict[str, Any] = {
    "held": 0, "held_agents": 0, "sent": 0, "acked": 0, "dropped": 0, "busy": 0, "errors": 0,
    "stored_per_s": 0.0, "latencies": [], "echo": [], "mem_kb_per_conn": float("nan"),
         "setup_seconds": 0.0}


@contextmanager
def fresh_database(database_url: str) -> Iterator[str]:
    """A throwaway PostgreSQL database named after `database_url` (SQLite: the temp file)."""
    if not database_url.startswith(("postgres://", "postgresql://")):
        yield database_url
        return
    import psycopg

    parts = urlsplit(database_url)
    name = f"{parts.path.lstrip('/') or 'bench_chat'}_{os.urandom(3).hex()}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_desk(args: argparse.Namespace, clients: int, rate: float) -> dict[str, Any]:
    marker = os.urandom(3).hex()
    result: dict[str, Any] = dict(EMPTY)
    with tempfile.TemporaryDirectory(prefix="bench-chat-") as tmp, \
            fresh_database(args.database_url) as database_url:
        env = desk_env(Path(tmp), database_url, args.workers)
        prepare_desk(env, args.agents)
        try:
            desk = start("unlockdesk.asgi:application", env, workers=args.workers)
        except RuntimeError as exc:
            print(f"    run failed: {exc}")
            return {**result, "dropped": clients + args.agents, "lost": 0, "duplicated": 0}
        try:
            cookies = [agent_cookie(desk.url, n) for n in range(args.agents)]
            result = asyncio.run(run_load(desk.url, desk.process.pid, clients, args.agents,
                                          rate, args.duration, cookies, marker))
            if args.idle:
                result.update(asyncio.run(hold_idle(desk.url, desk.process.pid, args.idle)))
        except Exception as exc:  # a benchmark reports what happened; it does not crash
            print(f"    run failed: {type(exc).__name__}: {exc}")
            result["dropped"] = clients + args.agents - result["held"] - result["held_agents"]
        finally:
            desk.stop()
        result["lost"], result["duplicated"] = count_stored(env, marker, result["sent"]) \
            if result["sent"] else (0, 0)
    return result


def run_bare(args: argparse.Namespace, clients: int, rate: float) -> dict[str, Any]:
    try:
        bare = start("bench.chat:bare_app", {**os.environ}, app_dir=ROOT)
    except RuntimeError as exc:
        print(f"    bare run failed: {exc}")
        return dict(EMPTY)
    try:
        return dict(asyncio.run(run_load(bare.url, bare.process.pid, clients, args.agents,
                                         rate, args.duration, [], "bare")))
    except Exception as exc:
        print(f"    bare run failed: {type(exc).__name__}: {exc}")
        return dict(EMPTY)
    finally:
        bare.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", default="200", help="N, or a comma-separated sweep")
    parser.add_argument("--agents", type=int, default=10)
    parser.add_argument("--rate", default="500", help="messages per second, all customers; or a sweep")
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--database-url", default="",
                        help="default: a fresh SQLite file; postgres://...: a fresh database named after it")
    parser.add_argument("--workers", type=int, default=1,
                        help="uvicorn worker processes for the desk (more than 1 uses Redis db 1)")
    parser.add_argument("--idle", type=int, default=0,
                        help="after the load, hold this many idle visitor sockets (memory per socket)")
    parser.add_argument("--no-bare", action="store_true", help="skip the bare floor (ratio_vs_bare=nan)")
    parser.add_argument("--ports", default="", help="ports the servers may use, e.g. 9100-9199")
    args = parser.parse_args()
    if args.ports:
        low, _, high = args.ports.partition("-")
        PORTS.extend(range(int(low), int(high or low) + 1))
    sizes = [int(n) for n in args.clients.split(",")]
    rates = [float(r) for r in args.rate.split(",")]
    db_kind = "postgresql" if args.database_url.startswith(("postgres://", "postgresql://")) else "sqlite"
    print(f"bench/chat: rates {rates} msg/s for {args.duration:.0f} s, {args.agents} agents, "
          f"customers {sizes}, {args.workers} worker(s) on {db_kind}; {os.cpu_count()} cores shared "
          f"with the load generator (and anything else running); {load_average()}")
    last = ""
    for clients, rate in [(n, r) for n in sizes for r in rates]:
        result = run_desk(args, clients, rate)
        floor = dict(EMPTY) if args.no_bare else run_bare(args, clients, rate)
        print(f"N={clients} rate={rate:.0f} ({load_average()} after the runs)")
        report("unlockdesk", result, clients, args.agents)
        print(f"    lost {result['lost']}, duplicated {result['duplicated']} (counted in the database)")
        if args.idle:
            print(f"    idle sockets on one process: held {result.get('idle_held', 0)}/{args.idle}, "
                  f"{result.get('idle_kb_per_conn', float('nan')):.0f} KB each")
        if not args.no_bare:
            report("bare floor", floor, clients, args.agents)
        p99, floor_p99 = pct(result["latencies"], .99), pct(floor["latencies"], .99)
        verdict = "holds" if p99 < 100 and result["acked"] == result["sent"] else "does NOT hold"
        print(f"    => N={clients} {verdict} p99 < 100 ms at {rate:.0f} msg/s")
        ratio = p99 / floor_p99 if floor_p99 and floor_p99 == floor_p99 else float("nan")
        last = (f"BENCH chat clients={clients} rate={rate:.0f} workers={args.workers} db={db_kind} "
                f"held={result['held']} dropped={result['dropped']} "
                f"stored_per_s={result['stored_per_s']:.0f} lost={result['lost']} "
                f"duplicated={result['duplicated']} p50_ms={pct(result['latencies'], .5):.1f} "
                f"p99_ms={p99:.1f} mem_kb_per_conn={result['mem_kb_per_conn']:.0f} "
                f"ratio_vs_bare={ratio:.1f}")
        if args.idle:
            print(f"BENCH chat_idle sockets={args.idle} held={result.get('idle_held', 0)} "
                  f"kb_per_conn={result.get('idle_kb_per_conn', float('nan')):.0f}")
    print(last)


if __name__ == "__main__":
    main()
