"""SLA escalation at volume: how long the every-minute task takes to find what is due.

Loads --tickets open tickets with two running clocks each (first response, resolution) whose
next check is spread over the coming 30 days, and --due of them already due, into a fresh
database of its own (SQLite file by default, PostgreSQL with --database-url). Then times
    find     the task's one query for clocks due now (partial index sla_target_next_check)
    run      a whole escalate_due(): the --due breaches with timeline, audit and notifications
    idle     escalate_due() again with nothing left to do
and prints the query plan of `find`. The machine is shared: the load average is printed.
    .venv/bin/python bench/sla.py                     # SQLite, 200,000 tickets
    .venv/bin/python bench/sla.py --database-url postgres://postgres@127.0.0.1:5432/bench_sla
Last line: BENCH sla tickets=N clocks=C due=D find_p50_ms find_p95_ms run_ms idle_ms
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT / "src"))


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--tickets", type=int, default=200_000)
    parser.add_argument("--due", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=50)
    return parser.parse_args()


def _fresh_postgres(url: str) -> None:
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def _load(tickets: int, due: int) -> int:
    from django.utils import timezone

    from unlockdesk.staff.models import Agent, Role
    from unlockdesk.tickets.models import Contact, SlaTarget, Ticket

    Agent.objects.create_user(username="bench-supervisor", role=Role.SUPERVISOR)
    contact = Contact.objects.create(display_name="bench")
    now = timezone.now()
    rng = random.Random(7)
    chunk = 5000
    made = 0
    for start in range(0, tickets, chunk):
        rows = [Ticket(number=f"UD-B{n:07d}", subject="bench", channel="email", contact=contact,
                       created_at=now, updated_at=now)
                for n in range(start, min(start + chunk, tickets))]
        Ticket.objects.bulk_create(rows)
        ids = list(Ticket.objects.filter(number__in=[t.number for t in rows])
                   .values_list("pk", flat=True))
        clocks = []
        for pk in ids:
            for kind in ("first_response", "resolution"):
                if made < due and kind == "first_response":
                    when = now - timedelta(minutes=1)
                    made += 1
                else:
                    when = now + timedelta(minutes=rng.randint(5, 30 * 24 * 60))
                clocks.append(SlaTarget(ticket_id=pk, kind=kind, minutes=60, started_at=now,
                                        warn_at=when, due_at=when, next_check_at=when))
        SlaTarget.objects.bulk_create(clocks)
    return SlaTarget.objects.count()


def main() -> None:
    args = _args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-sla-"))
    os.environ.update({"UNLOCKDESK_DATA_DIR": str(tmp), "UNLOCKDESK_LOG_LEVEL": "WARNING",
                       "DJANGO_SETTINGS_MODULE": "unlockdesk.settings",
                       "DATABASE_URL": args.database_url or f"sqlite:///{tmp / 'bench.sqlite3'}"})
    os.environ.pop("REDIS_URL", None)
    if args.database_url:
        _fresh_postgres(args.database_url)
    subprocess.run([sys.executable, "-m", "unlockdesk.cli", "migrate", "-v0"], check=True,
                   cwd=ROOT, env=os.environ.copy())
    import django

    django.setup()
    from django.utils import timezone

    from unlockdesk.tickets.models import SlaTarget
    from unlockdesk.tickets.services.escalation import escalate_due

    clocks = _load(args.tickets, args.due)
    now = timezone.now()
    query = SlaTarget.objects.filter(next_check_at__lte=now).order_by("next_check_at").values_list(
        "pk", flat=True)[:500]
    print("plan:", query.explain())
    times = []
    for _ in range(args.rounds):
        started = time.perf_counter()
        found = list(query.all())  # a fresh queryset: no result cache
        times.append((time.perf_counter() - started) * 1000)
    assert len(found) == args.due, len(found)
    started = time.perf_counter()
    run = escalate_due(now=now)
    run_ms = (time.perf_counter() - started) * 1000
    assert run.breached == args.due, run
    started = time.perf_counter()
    escalate_due(now=now)
    idle_ms = (time.perf_counter() - started) * 1000
    p95 = statistics.quantiles(times, n=20)[-1]
    print(f"load average: {os.getloadavg()}")
    print(f"BENCH sla tickets={args.tickets} clocks={clocks} due={args.due} "
          f"find_p50_ms={statistics.median(times):.2f} find_p95_ms={p95:.2f} "
          f"run_ms={run_ms:.0f} idle_ms={idle_ms:.2f}")


if __name__ == "__main__":
    main()
