"""Floor reports at volume: every report's aggregate over 30 days and over a year, at 1M tickets.

Loads N tickets (`unlockdesk load-volume`, COPY on PostgreSQL) into a fresh database of its own,
gives them first-response times and SLA targets (load-volume leaves them empty), answers a
satisfaction survey for every fifth resolved ticket, then times each report's selector (one
GROUP BY each) and the whole reports page through the Django stack as a supervisor.

    .venv/bin/python bench/reports.py                           # PostgreSQL, 1,000,000 tickets
    .venv/bin/python bench/reports.py --reuse                   # time again on the loaded database
    .venv/bin/python bench/reports.py --sqlite var/bench-reports.sqlite3 --tickets 100000
"""

import argparse
import logging
import os
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT / "src"))

PASSWORD = "bench-reports-password-9"  # noqa: S105 - a throwaway bench supervisor
RESPONSE_MINUTES = [5, 20, 90, 300, 1500, 5000, 9000]


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/bench_reports")
    parser.add_argument("--sqlite", default="", help="benchmark a SQLite file instead")
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=5)
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
    if args.reuse:
        return 0.0
    if args.sqlite:
        Path(args.sqlite).unlink(missing_ok=True)
    else:
        _fresh_postgres(args.database_url)
    _unlockdesk("migrate", "-v0")
    started = time.monotonic()
    _unlockdesk("load-volume", "--tickets", str(args.tickets), "--messages-per-ticket", "1", "--yes")
    return time.monotonic() - started


def _enrich() -> None:
    """First answers, SLA targets and survey answers, spread by ticket id (deterministic)."""
    import secrets

    from django.db import transaction
    from django.db.models import F
    from django.db.models.functions import Mod

    from unlockdesk.reports.models import CsatSurvey
    from unlockdesk.tickets.models import Status, Ticket
    from unlockdesk.tickets.types import Channel

    if CsatSurvey.objects.exists():
        return
    with transaction.atomic():
        for k, minutes in enumerate(RESPONSE_MINUTES):
            Ticket.objects.annotate(r=Mod("id", len(RESPONSE_MINUTES))).filter(r=k).update(
                first_response_at=F("created_at") + timedelta(minutes=minutes),
                first_response_due=F("created_at") + timedelta(hours=4),
                resolution_due=F("created_at") + timedelta(days=3))
    resolved = (Ticket.objects.filter(status__in=[Status.RESOLVED, Status.CLOSED])
                .annotate(r=Mod("id", 5)).filter(r=0)
                .values_list("id", "channel", "queue_id", "assignee_id", "resolved_at"))
    batch: list[CsatSurvey] = []
    for n, (pk, channel, queue_id, agent_id, resolved_at) in enumerate(resolved.iterator(chunk_size=5000)):
        batch.append(CsatSurvey(
            ticket_id=pk, channel=channel or Channel.EMAIL, queue_id=queue_id, agent_id=agent_id,
            nonce=secrets.token_hex(16), asked_at=resolved_at, expires_at=resolved_at + timedelta(days=14),
            rating=(n * 7) % 5 + 1 if n % 3 else None,
            answered_at=resolved_at + timedelta(hours=2) if n % 3 else None))
        if len(batch) == 5000:
            CsatSurvey.objects.bulk_create(batch)
            batch = []
    CsatSurvey.objects.bulk_create(batch)


def _supervisor():  # type: ignore[no-untyped-def]
    from django.test import Client
    from django_otp.oath import TOTP

    from unlockdesk.staff.models import Agent, Role
    from unlockdesk.staff.two_factor import provision_device

    agent = Agent.objects.filter(username="bench-reports").first() or Agent.objects.create_user(
        username="bench-reports", password=PASSWORD, role=Role.SUPERVISOR, agent_number="B0002")
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


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[94] if len(values) > 1 else values[0]


def _timed(call, rounds: int) -> list[float]:  # type: ignore[no-untyped-def]
    call()  # warm-up, untimed
    out = []
    for _ in range(rounds):
        started = time.perf_counter()
        call()
        out.append((time.perf_counter() - started) * 1000)
    return out


def main() -> None:
    args = _args()
    os.environ["DATABASE_URL"] = (f"sqlite:///{Path(args.sqlite).resolve()}" if args.sqlite
                                  else args.database_url)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unlockdesk.settings")
    os.environ["UNLOCKDESK_ALLOWED_HOSTS"] = "testserver"
    load_seconds = _load(args)

    import django

    django.setup()
    logging.getLogger("axes").setLevel(logging.WARNING)
    from django.utils import timezone
    from django.utils.translation import activate

    from unlockdesk.reports import selectors
    from unlockdesk.reports.models import CsatSurvey
    from unlockdesk.reports.types import ReportFilters
    from unlockdesk.tickets.models import Queue, Ticket

    activate("en")
    started = time.monotonic()
    _enrich()
    enrich_seconds = time.monotonic() - started
    client, _agent = _supervisor()
    today = timezone.localdate()
    queue = Queue.objects.get(slug="payments")
    ranges = {"30d": ReportFilters(today - timedelta(days=29), today),
              "365d": ReportFilters(today - timedelta(days=364), today),
              "30d_queue": ReportFilters(today - timedelta(days=29), today, queue_id=queue.pk)}
    figures: dict[str, float] = {}
    for label, filters in ranges.items():
        worst = 0.0
        for key, build in selectors.REPORTS.items():
            p95 = _p95(_timed(lambda build=build, filters=filters: build(filters), args.rounds))
            worst = max(worst, p95)
            print(f"{label:9} {key:22} p95 {p95:8.1f} ms")
        figures[f"worst_report_{label}_p95_ms"] = round(worst, 1)
    for label, query in {"30d": "", "365d": f"?from={today - timedelta(days=364)}&to={today}"}.items():
        times = _timed(lambda query=query: client.get(f"/console/reports/{query}"), args.rounds)
        figures[f"page_{label}_p95_ms"] = round(_p95(times), 1)
        print(f"page {label:5} (12 charts) p95 {figures[f'page_{label}_p95_ms']:8.1f} ms")
    backend = "sqlite" if args.sqlite else "postgresql"
    tickets, surveys = Ticket.objects.count(), CsatSurvey.objects.count()
    print(f"database {backend}; load {load_seconds:.0f} s, enrich {enrich_seconds:.0f} s; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"BENCH reports tickets={tickets} surveys={surveys} backend={backend} "
          + " ".join(f"{k}={v}" for k, v in figures.items()))


if __name__ == "__main__":
    main()
