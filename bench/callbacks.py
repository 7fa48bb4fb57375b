"""Callback queue at volume: the queue page's read and the escalation sweep of missed callbacks.

Makes a fresh database (SQLite file unless --database-url), loads --tickets phone tickets with
an open callback each (bulk rows, due times spread over the next hours, --overdue of them past
due), then times:

    queue     the console's callback queue read for a supervisor (all tickets visible): the
              200 most urgent rows with ticket and assignee, and the count up to 1,000
              (--rounds times)
    agent     the same for an agent who works one queue of two (the permission filter)
    escalate  one sweep of escalate_missed_callbacks() over the overdue ones (priority raised,
              timeline, audit, a notice per supervisor), then a second sweep (nothing to do)

The machine is shared: the load average is printed beside the figures.

    .venv/bin/python bench/callbacks.py
    .venv/bin/python bench/callbacks.py --tickets 50000 --overdue 1000
    .venv/bin/python bench/callbacks.py --database-url postgres://postgres@127.0.0.1:5432/bench_callbacks
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT / "src"))

SHOWN = 200


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--tickets", type=int, default=20_000)
    parser.add_argument("--overdue", type=int, default=500)
    parser.add_argument("--supervisors", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=20)
    return parser.parse_args()


def _fresh_postgres(url: str) -> None:
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def _setup(args: argparse.Namespace, folder: Path) -> None:
    if args.database_url:
        _fresh_postgres(args.database_url)
    os.environ.update({
        "DATABASE_URL": args.database_url or f"sqlite:///{folder / 'bench.sqlite3'}",
        "UNLOCKDESK_DATA_DIR": str(folder), "UNLOCKDESK_TASKS_EAGER": "1",
        "UNLOCKDESK_LOG_LEVEL": "WARNING", "DJANGO_SETTINGS_MODULE": "unlockdesk.settings",
        "UNLOCKDESK_SMS_BACKEND": "unlockdesk.intake.outbox.OutboxSmsBackend",
    })
    os.environ.pop("REDIS_URL", None)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def _load(args: argparse.Namespace) -> float:
    from django.db import connection
    from django.utils import timezone

    from unlockdesk.staff.models import Agent, Role
    from unlockdesk.tickets.models import (
        CallbackRequest,
        Contact,
        ContactIdentity,
        Queue,
        Ticket,
    )
    from unlockdesk.tickets.types import Channel, IdentityKind

    started = time.monotonic()
    now = timezone.now()
    queues = [Queue.objects.create(slug="general", name="General"),
              Queue.objects.create(slug="security", name="Security")]
    batch = 2000
    for first in range(0, args.tickets, batch):
        ns = range(first, min(first + batch, args.tickets))
        contacts = Contact.objects.bulk_create([Contact(display_name=f"caller {n}") for n in ns])
        ContactIdentity.objects.bulk_create([
            ContactIdentity(contact=c, kind=IdentityKind.PHONE, value=f"+86139{n:08d}")
            for n, c in zip(ns, contacts, strict=True)])
        tickets = Ticket.objects.bulk_create([
            Ticket(number=f"UD-B{n:07d}", subject="请回电", channel=Channel.PHONE, contact=c,
                   priority=1 + n % 4, queue=queues[n % 2])
            for n, c in zip(ns, contacts, strict=True)])
        CallbackRequest.objects.bulk_create([
            CallbackRequest(ticket=t, number=f"+86139{n:08d}", priority=t.priority,
                            due_at=now - timedelta(minutes=1 + n % 30) if n < args.overdue
                            else now + timedelta(minutes=1 + n % 600))
            for n, t in zip(ns, tickets, strict=True)])
    for i in range(args.supervisors):
        Agent.objects.create_user(username=f"sup{i}", role=Role.SUPERVISOR, agent_number=f"S{i:03d}")
    agent = Agent.objects.create_user(username="agent", role=Role.AGENT, agent_number="A001")
    queues[0].agents.add(agent)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would after a load this size
    return time.monotonic() - started


def _time(rounds: int, read: object) -> list[float]:
    assert callable(read)
    read()  # warm-up
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        read()
        times.append((time.perf_counter() - started) * 1000)
    return times


def _p(times: list[float], q: float) -> float:
    return sorted(times)[min(len(times) - 1, int(len(times) * q))]


def main() -> None:
    args = _args()
    with tempfile.TemporaryDirectory() as folder:
        _setup(args, Path(folder))
        load_s = _load(args)
        from django.db import connection

        from unlockdesk.staff.models import Agent
        from unlockdesk.tickets import call_selectors
        from unlockdesk.tickets.services.calls import escalate_missed_callbacks

        supervisor = Agent.objects.get(username="sup0")
        agent = Agent.objects.get(username="agent")

        def page(who: Agent) -> object:
            def read() -> None:
                waiting = call_selectors.callback_queue(who, limit=SHOWN)
                assert waiting.rows and (waiting.count_capped or waiting.count >= len(waiting.rows))
            return read

        queue = _time(args.rounds, page(supervisor))
        mine = _time(args.rounds, page(agent))
        started = time.perf_counter()
        escalated = escalate_missed_callbacks()
        escalate_ms = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        again = escalate_missed_callbacks()
        idle_ms = (time.perf_counter() - started) * 1000
        assert escalated == args.overdue and again == 0, (escalated, again)
        load = os.getloadavg()[0]
        print(f"database {connection.vendor}, {args.tickets} open callbacks ({args.overdue} overdue), "
              f"loaded in {load_s:.1f} s, load average {load:.2f}")
        print(f"queue (supervisor) p50 {statistics.median(queue):.1f} ms, p95 {_p(queue, .95):.1f} ms")
        print(f"queue (one-queue agent) p50 {statistics.median(mine):.1f} ms, p95 {_p(mine, .95):.1f} ms")
        print(f"escalation sweep: {escalated} in {escalate_ms:.0f} ms "
              f"({escalate_ms / max(escalated, 1):.2f} ms each); idle sweep {idle_ms:.1f} ms")
        print(f"BENCH callbacks db={connection.vendor} open={args.tickets} overdue={args.overdue} "
              f"queue_p50_ms={statistics.median(queue):.1f} queue_p95_ms={_p(queue, .95):.1f} "
              f"agent_queue_p50_ms={statistics.median(mine):.1f} "
              f"escalate_each_ms={escalate_ms / max(escalated, 1):.2f} idle_sweep_ms={idle_ms:.1f} "
              f"load={load:.2f}")


if __name__ == "__main__":
    main()
