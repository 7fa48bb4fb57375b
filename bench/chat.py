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

The machine has 2 cores and other work may run at the same time; the client generating the
load shares those cores with the server. Figures are noisy: compare runs made together.
Last line: BENCH chat clients=N rate=R p50_ms=.. p99_ms=.. mem_kb_per_conn=.. ratio_vs_bare=..
(ratio_vs_bare = p99 of the desk / p99 of the bare server, same load).
"""

import sys
from pathlib import Path

# Run as a script, bench/ is first on sys.path, where sibling benchmarks (bench/email.py)
# would shadow the standard library.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import asyncio  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import urllib.error  # noqa: E402
import urllib.request  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from typing import Any  # noqa: E402

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


def rss_kb(pid: int) -> int:
    """Resident memory of a server process and its workers (uvicorn --workers)."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return 0
    match = re.search(r"VmRSS:\s+(\d+)", text)
    return (int(match.group(1)) if match else 0) + sum(rss_kb(int(child)) for child in children)


def wait_up(url: str, path: str) -> None:
    deadline = time.monotonic() + 30
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
        # Persistent database connections: without them every socket frame reconnects.
        "UNLOCKDESK_DB_CONN_MAX_AGE": "600",
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


def start(app: str, env: dict[str, str], app_dir: Path | None = None, workers: int = 1) -> Server:
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", app, "--port", str(port), "--log-level", "warning",
               "--ws-max-queue", "256", "--workers", str(workers)]
    if app_dir:
        command += ["--app-dir", str(app_dir)]
    process = subprocess.Popen(command, env=env, cwd=ROOT)
    url = f"http://127.0.0.1:{port}"
    wait_up(url, "/portal/signin/" if app_dir is None else "/")
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
    sent: dict[str, float] = field(default_factory=dict)          # client_id -> t0
    seq_of: dict[tuple[str, int], str] = field(default_factory=dict)  # (conversation, seq) -> client_id
    activity: list[tuple[str, int, float]] = field(default_factory=list)
    echo: list[float] = field(default_factory=list)
    acked: int = 0
    errors: int = 0


async def run_load(url: str, pid: int, clients: int, agents: int, rate: float, duration: float,
                   cookies: list[str]) -> dict[str, Any]:
    from websockets.asyncio.client import connect

    ws_url = url.replace("http", "ws")
    figures = Figures()
    base_rss = rss_kb(pid)

    async def agent_loop(cookie: str) -> Any:
        ws = await connect(ws_url + "/ws/chat/agent/", origin=url,  # type: ignore[arg-type]
                           additional_headers={"Cookie": cookie} if cookie else {}, max_size=None)

        async def reader() -> None:
            async for raw in ws:
                frame = json.loads(raw)
                if frame.get("type") == "activity":
                    figures.activity.append((frame["id"], frame["seq"], time.perf_counter()))
        return ws, asyncio.create_task(reader())

    agent_sockets = [await agent_loop(cookies[n] if cookies else "") for n in range(agents)]

    customers: list[tuple[Any, str]] = []

    async def customer(n: int) -> None:
        ws = await connect(ws_url + "/ws/chat/visitor/", origin=url, max_size=None)  # type: ignore[arg-type]
        await ws.send(json.dumps({"type": "hello", "language": "en"}))
        conversation = ""
        while not conversation:
            frame = json.loads(await ws.recv())
            conversation = frame.get("conversation", "") if frame.get("type") == "welcome" else ""
        await ws.send(json.dumps({"type": "talk", "text": f"Question {n}: my account is locked",
                                  "client_id": f"bench-talk-{n:06d}"}))
        while json.loads(await ws.recv()).get("type") != "ack":
            pass
        customers.append((ws, conversation))

    setup_started = time.perf_counter()
    gate = asyncio.Semaphore(16)

    async def gated(n: int) -> None:
        async with gate:
            await customer(n)

    await asyncio.gather(*(gated(n) for n in range(clients)))
    setup_seconds = time.perf_counter() - setup_started
    # Each agent also follows one chat, as an agent with a chat open does.
    for n, (ws, _task) in enumerate(agent_sockets):
        if n < len(customers):
            await ws.send(json.dumps({"type": "open", "conversation": customers[n][1]}))
    await asyncio.sleep(1.0)
    figures.activity.clear()
    connected_rss = rss_kb(pid)

    async def customer_reader(ws: Any, conversation: str) -> None:
        try:
            async for raw in ws:
                frame = json.loads(raw)
                kind = frame.get("type")
                if kind == "ack":
                    cid = frame.get("client_id", "")
                    if cid in figures.sent:
                        figures.acked += 1
                        figures.seq_of[(conversation, frame["seq"])] = cid
                elif kind == "message":
                    cid = frame.get("client_id", "")
                    if cid in figures.sent and frame.get("direction", "in") == "in":
                        figures.echo.append(time.perf_counter() - figures.sent[cid])
                elif kind == "error":
                    figures.errors += 1
        except Exception:  # noqa: S110 - socket closed at the end of the run
            pass

    readers = [asyncio.create_task(customer_reader(ws, conv)) for ws, conv in customers]
    total = int(rate * duration)
    started = time.perf_counter()
    for k in range(total):
        target = started + k / rate
        delay = target - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        ws, _conversation = customers[k % len(customers)]
        cid = f"bench-{k:08d}"
        figures.sent[cid] = time.perf_counter()
        await ws.send(json.dumps({"type": "message", "text": f"message {k}", "client_id": cid}))
    send_seconds = time.perf_counter() - started
    drain_until = time.perf_counter() + 10
    while figures.acked < total and time.perf_counter() < drain_until:
        await asyncio.sleep(0.1)
    await asyncio.sleep(0.5)
    elapsed = time.perf_counter() - started
    held = sum(1 for ws, _ in customers if ws.state.name == "OPEN")
    held_agents = sum(1 for ws, _ in agent_sockets if ws.state.name == "OPEN")

    latencies = []
    for conversation, seq, t1 in figures.activity:
        sent_as = figures.seq_of.get((conversation, seq))
        if sent_as is not None:
            latencies.append(t1 - figures.sent[sent_as])
    for ws, _ in customers:
        await ws.close()
    for ws, task in agent_sockets:
        await ws.close()
        task.cancel()
    for task in readers:
        task.cancel()
    return {
        "held": held, "held_agents": held_agents, "sent": total, "acked": figures.acked,
        "errors": figures.errors, "send_seconds": send_seconds, "elapsed": elapsed,
        "setup_seconds": setup_seconds,
        "latencies": latencies, "echo": figures.echo,
        "mem_kb_per_conn": (connected_rss - base_rss) / max(1, clients),
    }


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
          f"{result['held_agents']}/{agents} agents; stored+acked {result['acked']}/{result['sent']} "
          f"({result['acked'] / result['elapsed']:.0f} msg/s over {result['elapsed']:.1f} s); errors "
          f"{result['errors']}")
    print(f"    delivery to agents: {len(lat)} deliveries, p50 {pct(lat, .5):.1f} ms, "
          f"p99 {pct(lat, .99):.1f} ms, max {pct(lat, 1):.1f} ms")
    print(f"    echo to sender (stored, then shown): p50 {pct(echo, .5):.1f} ms, p99 {pct(echo, .99):.1f} ms;"
          f" memory {result['mem_kb_per_conn']:.0f} KB per connection; setup {result['setup_seconds']:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", default="200", help="N, or a comma-separated sweep")
    parser.add_argument("--agents", type=int, default=10)
    parser.add_argument("--rate", default="500", help="messages per second, all customers; or a sweep")
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--database-url", default="", help="default: a fresh SQLite file")
    parser.add_argument("--workers", type=int, default=1,
                        help="uvicorn worker processes for the desk (more than 1 uses Redis db 1)")
    args = parser.parse_args()
    sizes = [int(n) for n in args.clients.split(",")]
    rates = [float(r) for r in args.rate.split(",")]
    print(f"bench/chat: rates {rates} msg/s for {args.duration:.0f} s, {args.agents} agents, "
          f"customers {sizes}; {os.cpu_count()} cores shared with the load generator (and anything "
          f"else running); {load_average()}")
    last = ""
    for clients, rate in [(n, r) for n in sizes for r in rates]:
        with tempfile.TemporaryDirectory(prefix="bench-chat-") as tmp:
            env = desk_env(Path(tmp), args.database_url, args.workers)
            prepare_desk(env, args.agents)
            desk = start("unlockdesk.asgi:application", env, workers=args.workers)
            try:
                cookies = [agent_cookie(desk.url, n) for n in range(args.agents)]
                result = asyncio.run(run_load(desk.url, desk.process.pid, clients, args.agents,
                                              rate, args.duration, cookies))
            finally:
                desk.stop()
            bare = start("bench.chat:bare_app", {**os.environ}, app_dir=ROOT)
            try:
                floor = asyncio.run(run_load(bare.url, bare.process.pid, clients, args.agents,
                                             rate, args.duration, []))
            finally:
                bare.stop()
        print(f"N={clients} rate={rate:.0f} ({load_average()} after the runs)")
        report("unlockdesk", result, clients, args.agents)
        report("bare floor", floor, clients, args.agents)
        p99, floor_p99 = pct(result["latencies"], .99), pct(floor["latencies"], .99)
        verdict = "holds" if p99 < 100 and result["acked"] == result["sent"] else "does NOT hold"
        print(f"    => N={clients} {verdict} p99 < 100 ms at {rate:.0f} msg/s")
        last = (f"BENCH chat clients={clients} rate={rate:.0f} p50_ms={pct(result['latencies'], .5):.1f} "
                f"p99_ms={p99:.1f} mem_kb_per_conn={result['mem_kb_per_conn']:.0f} "
                f"ratio_vs_bare={p99 / floor_p99 if floor_p99 else float('nan'):.1f}")
    print(last)


if __name__ == "__main__":
    main()
