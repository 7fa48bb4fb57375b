"""Console speed at volume: inbox, filters, a deep page, search, a long ticket, at 1M tickets.

Loads N tickets with M messages each (`unlockdesk load-volume`, COPY on PostgreSQL) into a
fresh database of its own, signs an agent in through the real two-step login, then times
repeated GETs through the whole Django stack (middleware, sessions, OTP, views, templates;
Django's test client, in-process, so no socket noise):

    inbox       the default inbox (every open ticket, priority then newest)
    filter      status=all, status=new, one channel, one priority, one queue, mine, a date range
    deep_page   page 200 of "everything", reached by following the keyset cursor
    search      a Chinese phrase, an English word, an email, a phone number, a transaction hash,
                a ticket number
    ticket      a ticket page with 200 messages (made through the pipeline, receive())

Each request runs --rounds times after one untimed warm-up; p50/p95 per group. The machine
is shared: the load average is printed beside the figures.

    .venv/bin/python bench/console.py                       # PostgreSQL, 1,000,000 x 10
    .venv/bin/python bench/console.py --reuse               # time again on the loaded database
    .venv/bin/python bench/console.py --sqlite var/bench-console.sqlite3 --tickets 100000
"""

import argparse
import logging
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote, urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT / "src"))

PASSWORD = "bench-console-password-9"  # noqa: S105 - a throwaway bench agent


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/bench_console")
    parser.add_argument("--sqlite", default="", help="benchmark a SQLite file instead")
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--messages-per-ticket", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--reuse", action="store_true",
                        help="keep an already loaded database instead of loading a fresh one")
    return parser.parse_args()


def _fresh_postgres(url: str) -> None:
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def _unlockdesk(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "unlockdesk.cli", *args], check=True, cwd=ROOT,
                   env=os.environ.copy())


def _load(args: argparse.Namespace) -> float:
    """Migrate and load; seconds the load took (0 when an existing load is reused)."""
    if args.reuse:
        return 0.0
    if args.sqlite:
        Path(args.sqlite).unlink(missing_ok=True)
    else:
        _fresh_postgres(args.database_url)
    _unlockdesk("migrate", "-v0")
    started = time.monotonic()
    _unlockdesk("load-volume", "--tickets", str(args.tickets), "--messages-per-ticket",
                str(args.messages_per_ticket), "--yes")
    return time.monotonic() - started


def _sign_in():  # type: ignore[no-untyped-def]
    from django.test import Client
    from django_otp.oath import TOTP

    from unlockdesk.staff.models import Agent, Role
    from unlockdesk.staff.two_factor import provision_device

    agent = Agent.objects.filter(username="bench-console").first() or Agent.objects.create_user(
        username="bench-console", password=PASSWORD, role=Role.AGENT, agent_number="B0001")
    device = provision_device(agent)
    client = Client()
    response = client.post("/console/login/", {"username": agent.username, "password": PASSWORD})
    assert response.status_code == 302, "password step failed"
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    device.last_t = -1
    device.save(update_fields=["last_t"])
    response = client.post("/console/staff/two-factor/", {"token": f"{totp.token():06d}"})
    assert response.status_code == 302 and "two-factor" not in response["Location"], "TOTP failed"
    return client, agent


def _long_ticket(messages: int) -> str:
    """A ticket with `messages` messages, made the way customers make them."""
    from unlockdesk.tickets.models import Ticket
    from unlockdesk.tickets.services import receive
    from unlockdesk.tickets.types import Channel, IdentityKind, InboundMessage, SenderIdentity

    existing = Ticket.objects.filter(subject="bench: a long conversation").first()
    if existing and existing.last_seq >= messages:
        return existing.number
    number = ""
    sender = SenderIdentity(IdentityKind.EMAIL, "long.conversation@example.com")
    for n in range(messages):
        receipt = receive(InboundMessage(
            channel=Channel.EMAIL, external_id=f"bench-long-{n}-{time.time_ns()}", sender=sender,
            subject="bench: a long conversation", ticket_number=number,
            text=f"第 {n} 条消息：提币还是没有到账，请再帮我查一下。Message {n}: still waiting."))
        number = receipt.ticket_number
        if Ticket.objects.get(number=number).last_seq >= messages:
            break
    return number


def _samples(args: argparse.Namespace) -> dict[str, list[str]]:
    from unlockdesk.accounts.models import Transaction
    from unlockdesk.tickets.models import ContactIdentity, Ticket

    ticket = Ticket.objects.exclude(account=None).order_by("id")[len("bench") * 997 % 5000]
    identities = dict(ContactIdentity.objects.filter(contact_id=ticket.contact_id)
                      .values_list("kind", "value"))
    tx = Transaction.objects.filter(account_id=ticket.account_id).first()
    assert tx is not None
    searches = ["冷钱包", "withdrawal", identities["email"], identities["phone"].replace("+86", ""),
                tx.tx_hash, ticket.number]
    return {
        "inbox": ["/console/"],
        "filter": ["/console/?" + urlencode(q) for q in (
            {"status": "all"}, {"status": "new"}, {"channel": "telegram"}, {"priority": "1"},
            {"queue": "payments"}, {"mine": "1"}, {"status": "all", "from": "2026-01-01",
                                                   "to": "2026-03-31"})],
        "search": ["/console/?" + urlencode({"q": q}) for q in searches],
    }


def _deep_page(client, pages: int) -> str:  # type: ignore[no-untyped-def]
    url = "/console/?status=all"
    for _ in range(pages - 1):
        found = re.search(r'after=([^"&]+)" id="next-page"', client.get(url).content.decode())
        assert found, "ran out of pages"
        url = "/console/?" + urlencode({"status": "all", "after": unquote(found.group(1))})
    return url


# CPU time of this process per request, beside wall time: on a shared machine the wall time
# mostly measures the other work; the CPU time is what the request itself cost (the database
# server's share is not in it: PostgreSQL runs in its own processes).
CPU: dict[str, list[float]] = {}


def _time(client, urls: list[str], rounds: int, group: str = "") -> list[float]:  # type: ignore[no-untyped-def]
    out: list[float] = []
    for url in urls:
        assert client.get(url).status_code == 200, url  # warm-up, untimed
        for _ in range(rounds):
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.get(url)
            out.append((time.perf_counter() - started) * 1000)
            CPU.setdefault(group, []).append((time.process_time() - cpu_started) * 1000)
            assert response.status_code == 200, url
    return out


def _p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] if len(values) > 1 \
        else values[0]


def main() -> None:
    args = _args()
    if args.sqlite:
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(args.sqlite).resolve()}"
    else:
        os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unlockdesk.settings")
    os.environ["UNLOCKDESK_ALLOWED_HOSTS"] = "testserver"
    load_seconds = _load(args)

    import django

    django.setup()
    logging.getLogger("axes").setLevel(logging.WARNING)
    from unlockdesk.tickets.models import Message, Ticket

    client, _agent = _sign_in()
    long_number = _long_ticket(200)
    groups = _samples(args)
    groups["deep_page"] = [_deep_page(client, 200)]
    groups["ticket"] = [f"/console/tickets/{long_number}/"]
    tickets = Ticket.objects.count()
    messages = Message.objects.order_by().count()
    figures: dict[str, float] = {}
    for name, urls in groups.items():
        times = _time(client, urls, args.rounds, name)
        figures[f"{name}_p50_ms"] = round(_p(times, 50), 1)
        figures[f"{name}_p95_ms"] = round(_p(times, 95), 1)
        figures[f"{name}_cpu_p95_ms"] = round(_p(CPU[name], 95), 1)
        print(f"{name:10} p50 {figures[f'{name}_p50_ms']:7.1f} ms  p95 "
              f"{figures[f'{name}_p95_ms']:7.1f} ms  cpu p50 {_p(CPU[name], 50):6.1f} ms  p95 "
              f"{figures[f'{name}_cpu_p95_ms']:6.1f} ms"
              f"  ({len(urls)} urls x {args.rounds})")
        if name in ("search", "filter"):
            for url in urls:
                each = _time(client, [url], max(5, args.rounds // 2))
                print(f"    {url[:70]:70} p95 {_p(each, 95):7.1f} ms")
    backend = "sqlite" if args.sqlite else "postgresql"
    print(f"database {backend}; load {load_seconds:.0f} s; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"BENCH console tickets={tickets} messages={messages} backend={backend} "
          f"load_s={load_seconds:.0f} inbox_p95_ms={figures['inbox_p95_ms']} "
          f"filter_p95_ms={figures['filter_p95_ms']} deep_page_p95_ms={figures['deep_page_p95_ms']} "
          f"search_p95_ms={figures['search_p95_ms']} ticket_p95_ms={figures['ticket_p95_ms']} "
          + " ".join(f"{name}_cpu_p95_ms={figures[f'{name}_cpu_p95_ms']}" for name in groups))


if __name__ == "__main__":
    main()
