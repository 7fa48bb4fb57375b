"""API v1 under load: open tickets, read them, list pages, retry with an Idempotency-Key.

Starts uvicorn in a subprocess on a fresh database (SQLite unless --database-url), creates an
agent and an API key with `unlockdesk api-key create`, then from --concurrency threads: POSTs
--tickets tickets (each with its own Idempotency-Key), GETs each one, walks the ticket list
page by page (50 a page) and POSTs every ticket again with the same key (a replay).

Last line: BENCH api tickets=N concurrency=C post_p50_ms post_p95_ms get_p50_ms get_p95_ms
list_p95_ms replay_p50_ms posts_per_s
"""

import sys
from pathlib import Path

# Run as a script, bench/ is first on sys.path, where sibling benchmarks (bench/email.py)
# would shadow the standard library.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import os  # noqa: E402
import socket  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from collections.abc import Callable  # noqa: E402
from concurrent.futures import ThreadPoolExecutor  # noqa: E402

import httpx  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def desk_env(data_dir: Path, database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "UNLOCKDESK_TEST_DB_NAME")}
    env.update({
        "UNLOCKDESK_DATA_DIR": str(data_dir),
        "DATABASE_URL": database_url or f"sqlite:///{data_dir / 'bench.sqlite3'}",
        "UNLOCKDESK_TASKS_EAGER": "1",
        "UNLOCKDESK_LOG_LEVEL": "WARNING",
        "UNLOCKDESK_API_PER_MINUTE": "1000000",
        "UNLOCKDESK_DB_CONN_MAX_AGE": "600",
        "DJANGO_SETTINGS_MODULE": "unlockdesk.settings",
    })
    return env


def prepare(env: dict[str, str]) -> str:
    """Migrated database, one agent, and the token of a key acting as it."""
    cli = [sys.executable, "-m", "unlockdesk.cli"]
    subprocess.run([*cli, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run([*cli, "createcachetable"], env=env, check=True, cwd=ROOT)
    subprocess.run([sys.executable, "-c", "import django; django.setup()\n"
                    "from unlockdesk.staff.models import Agent\n"
                    "Agent.objects.create_user(username='risk', password='unused-password-1',"
                    " agent_number='R0001')"], env=env, check=True, cwd=ROOT)
    made = subprocess.run([*cli, "api-key", "create", "--name", "bench", "--agent", "risk",
                           "--scope", "tickets:read", "--scope", "tickets:write"],
                          env=env, check=True, cwd=ROOT, capture_output=True, text=True)
    return made.stdout.split()[-1]


def wait_up(url: str, deadline_s: float = 60) -> None:
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/api/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("the server did not start")


def timed(pool: ThreadPoolExecutor, calls: list[Callable[[], httpx.Response]]) -> list[float]:
    def one(call: Callable[[], httpx.Response]) -> float:
        started = time.perf_counter()
        response = call()
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code >= 300:
            raise SystemExit(f"{response.request.method} {response.request.url}: "
                             f"{response.status_code} {response.text[:300]}")
        return elapsed

    return list(pool.map(one, calls))


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q * 100) - 1] if len(values) > 1 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-api-") as tmp:
        env = desk_env(Path(tmp), args.database_url)
        token = prepare(env)
        port = free_port()
        server = subprocess.Popen([sys.executable, "-m", "uvicorn", "unlockdesk.asgi:application",
                                   "--port", str(port), "--log-level", "warning"], env=env, cwd=ROOT)
        url = f"http://127.0.0.1:{port}"
        try:
            wait_up(url)
            headers = {"Authorization": f"Bearer {token}"}
            client = httpx.Client(base_url=f"{url}/api/v1", headers=headers, timeout=60,
                                  limits=httpx.Limits(max_connections=args.concurrency * 2))
            keys = [str(uuid.uuid4()) for _ in range(args.tickets)]
            bodies = [{"subject": f"Suspicious withdrawal {n}", "text": "Held by the risk engine.",
                       "contact": {"kind": "uid", "value": str(40000000 + n)}, "priority": 2}
                      for n in range(args.tickets)]

            def post(n: int) -> Callable[[], httpx.Response]:
                return lambda: client.post("/tickets", json=bodies[n], headers={"Idempotency-Key": keys[n]})

            with ThreadPoolExecutor(args.concurrency) as pool:
                started = time.perf_counter()
                posts = timed(pool, [post(n) for n in range(args.tickets)])
                posts_per_s = args.tickets / (time.perf_counter() - started)
                numbers = [t["number"] for t in client.get("/tickets", params={"limit": 100}).json()["items"]]
                gets = timed(pool, [(lambda number=number: client.get(f"/tickets/{number}"))
                                    for number in numbers * max(1, args.tickets // max(len(numbers), 1))])
                pages: list[float] = []
                cursor = None
                while True:
                    begun = time.perf_counter()
                    params = {"limit": 50, **({"cursor": cursor} if cursor else {})}
                    page = client.get("/tickets", params=params)
                    pages.append((time.perf_counter() - begun) * 1000)
                    cursor = page.json()["next_cursor"]
                    if cursor is None:
                        break
                replays = timed(pool, [post(n) for n in range(args.tickets)])
        finally:
            server.terminate()
            server.wait(10)
    print("load average (1, 5, 15 min): {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    print(f"POST /tickets: {args.tickets} at concurrency {args.concurrency}, {posts_per_s:.1f}/s")
    print(f"GET /tickets/{{number}}: {len(gets)}; list pages: {len(pages)}; replays: {len(replays)}")
    print(f"BENCH api tickets={args.tickets} concurrency={args.concurrency} "
          f"post_p50_ms={pct(posts, .5):.1f} post_p95_ms={pct(posts, .95):.1f} "
          f"get_p50_ms={pct(gets, .5):.1f} get_p95_ms={pct(gets, .95):.1f} "
          f"list_p95_ms={pct(pages, .95):.1f} replay_p50_ms={pct(replays, .5):.1f} "
          f"posts_per_s={posts_per_s:.1f}")


if __name__ == "__main__":
    main()
