"""Email intake benchmark: a generated corpus (1,000+ messages: mixed charsets, replies,
attachments) through the very path SMTP, IMAP and webhooks use (intake.mail.ingest ->
tickets.services.receive, redacted original kept), on the database DATABASE_URL names, as the
desk itself runs: the intake process warmed up as the mail listener is (unlockdesk.warmup),
and a real task worker (Celery, one process) beside it rendering and sending every
acknowledgement the intake queues, to the locmem backend. The clock stops when the last
acknowledgement is sent, not when the last message is stored:

    .venv/bin/python bench/email.py [--messages 1200] [--rounds 3]         # SQLite (default)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x .venv/bin/python bench/email.py

For PostgreSQL the benchmark creates a fresh database of its own on that server
(`<name>_bench_email`) and drops it afterwards; the named database is not touched. In the same
run django-helpdesk's mail import reads the same files when its separate venv exists
(`make bench` creates it), as the comparison, on the same kind of database: SQLite, or a fresh
`<name>_bench_email_helpdesk` on the same PostgreSQL server. django-helpdesk sends its
acknowledgements inline, so both figures cover storing and answering every message.

Figures are wall-clock on a shared 2-core machine with other work running: noisy; the load
average is printed with them. The machine's speed drifts by a fifth between two runs a minute
apart, so `--rounds N` runs both imports N times, alternating which goes first, and the last
line gives each figure's median and the median of the rounds' ratios. Last line:
BENCH email messages=N per_s=.. p95_ms=.. db=sqlite|postgresql cpu_ms=.. ingest_per_s=..
    worker_cpu_ms=.. acks_sent=.. helpdesk_per_s=.. helpdesk_p95_ms=.. helpdesk_cpu_ms=..
    rounds=N ratio=..   (one line; the helpdesk figures, rounds and ratio when it ran)
(per_s: messages over the time until every acknowledgement was sent; ingest_per_s: over the
time to store them; cpu_ms: the ingesting process's own CPU time per message, less sensitive
to the shared load; worker_cpu_ms: the task worker's, per message ingested)
"""

# This file is named like the standard library's `email` package: drop its folder from the
# import path before anything imports `email`.
import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != _HERE]
sys.path.insert(0, os.path.join(_HERE, "mail"))

import argparse  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import TypeVar  # noqa: E402
from urllib.parse import urlsplit, urlunsplit  # noqa: E402

R = TypeVar("R")
ROOT = Path(_HERE).parent
HELPDESK_PYTHON = ROOT / "var" / "bench-helpdesk-venv" / "bin" / "python"


def child(corpus: Path) -> None:
    """Runs in its own process (settings are per process): migrate, start the task worker,
    then time every ingest and the delivery of every acknowledgement it queued."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unlockdesk.settings")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from unlockdesk import warmup
    from unlockdesk.helpcenter.services import load_shipped_content
    from unlockdesk.intake.mail.ingest import ingest

    load_shipped_content()  # as deployed: acknowledgements suggest help-center articles
    warmup.warm()  # what the mail listener and the IMAP watcher load as they start
    worker = start_worker()
    try:
        files = sorted(corpus.glob("*.eml"))
        timings: list[float] = []
        statuses: dict[str, int] = {}
        worker_cpu_began = process_cpu(worker.pid)
        began, cpu_began = time.perf_counter(), time.process_time()
        for path in files:
            raw = path.read_bytes()
            start = time.perf_counter()
            result = ingest(raw, source="bench")
            timings.append(time.perf_counter() - start)
            statuses[result.status] = statuses.get(result.status, 0) + 1
        ingested = time.perf_counter() - began
        cpu = time.process_time() - cpu_began
        sent = wait_for_deliveries(worker)
        total = time.perf_counter() - began
        worker_cpu = process_cpu(worker.pid) - worker_cpu_began
    finally:
        worker.kill()
        worker.wait()
    timings.sort()
    print(json.dumps({"messages": len(files), "seconds": total, "ingest_seconds": ingested,
                      "statuses": statuses, "acknowledgements_sent": sent,
                      "cpu_ms_per_msg": cpu / len(files) * 1000,
                      "worker_cpu_ms_per_msg": worker_cpu / len(files) * 1000,
                      "p95_ms": timings[int(len(timings) * 0.95) - 1] * 1000}))


def start_worker() -> subprocess.Popen[str]:
    """The desk's task worker, as `unlockdesk demo` starts it beside the server: it sends the
    acknowledgements the intake queues. One process, so its CPU time is one figure."""
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "unlockdesk", "worker", "--pool", "solo",
         "--loglevel", "INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=dict(os.environ))
    assert worker.stderr is not None
    for line in worker.stderr:  # celery says "ready." once it takes tasks
        if " ready." in line:
            break
    else:
        raise RuntimeError(f"the task worker did not start (exit {worker.wait()})")
    # Drain its log in the background so a full pipe never blocks it.
    threading.Thread(target=worker.stderr.read, daemon=True).start()
    return worker


def wait_for_deliveries(worker: subprocess.Popen[str], timeout: float = 300.0) -> int:
    """Until the worker has sent every outbound message the ingest queued; how many it sent."""
    from unlockdesk.tickets.models import Delivery, Message

    deadline = time.monotonic() + timeout
    while Message.objects.filter(delivery=Delivery.PENDING).exists():
        if worker.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("the task worker stopped or fell behind: deliveries still pending")
        time.sleep(0.05)
    return Message.objects.filter(delivery=Delivery.SENT).count()


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) of another process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_child(corpus: Path, database_url: str | None) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="bench-email-") as data_dir:
        env = {k: v for k, v in os.environ.items()
               if k not in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "UNLOCKDESK_TASKS_EAGER")}
        env.update(UNLOCKDESK_DATA_DIR=data_dir, UNLOCKDESK_LOG_LEVEL="ERROR",
                   UNLOCKDESK_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
        if database_url:
            env["DATABASE_URL"] = database_url
        done = subprocess.run([sys.executable, __file__, "--child", str(corpus)], env=env,
                              capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def postgres_database(url: str, suffix: str = "bench_email") -> tuple[str, str]:
    """A fresh database of the benchmark's own on the server `url` names: (its URL, admin URL)."""
    import psycopg

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'unlockdesk'}_{suffix}"
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}")), admin


def drop_postgres_database(url: str, admin: str) -> None:
    import psycopg

    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{urlsplit(url).path.lstrip("/")}"')


def load_average() -> str:
    return "load average " + ", ".join(f"{value:.2f}" for value in os.getloadavg())


def helpdesk(corpus: Path, database_url: str = "") -> dict[str, object] | None:
    """django-helpdesk's import of the same files, on SQLite or on the PostgreSQL database
    `database_url` names (a fresh one of its own, like ours)."""
    if not HELPDESK_PYTHON.exists():
        print(f"django-helpdesk skipped: its own venv {HELPDESK_PYTHON.parent.parent} is missing "
              "(`make bench` creates it)")
        return None
    done = subprocess.run([str(HELPDESK_PYTHON), str(Path(_HERE) / "mail" / "helpdesk_import.py"),
                           str(corpus), *([database_url] if database_url else [])],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        print(f"django-helpdesk failed: {done.stderr.strip()[-300:]}")
        return None
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def rate(result: dict[str, object]) -> float:
    return float(result["messages"]) / float(result["seconds"])  # type: ignore[arg-type]


def on_fresh_database(database_url: str, on_postgres: bool, suffix: str,
                      run: Callable[[str | None], R]) -> R:
    """`run(url)` on a fresh PostgreSQL database of its own (dropped afterwards), or
    `run(None)` on SQLite."""
    if not on_postgres:
        return run(None)
    url, admin = postgres_database(database_url, suffix)
    try:
        return run(url)
    finally:
        drop_postgres_database(url, admin)


def ours_on(corpus: Path, database_url: str, on_postgres: bool) -> dict[str, object]:
    return on_fresh_database(database_url, on_postgres, "bench_email", lambda url: run_child(corpus, url))


def helpdesk_on(corpus: Path, database_url: str, on_postgres: bool) -> dict[str, object] | None:
    return on_fresh_database(database_url, on_postgres, "bench_email_helpdesk",
                             lambda url: helpdesk(corpus, url or ""))


def one_round(corpus: Path, database_url: str, on_postgres: bool, label: str,
              helpdesk_first: bool) -> tuple[dict[str, object], dict[str, object] | None]:
    """Ours and django-helpdesk's import on the same corpus, one after the other."""
    other = run_helpdesk(corpus, database_url, on_postgres, label) if helpdesk_first else None
    ours = ours_on(corpus, database_url, on_postgres)
    ingest_rate = number(ours, "messages") / number(ours, "ingest_seconds")
    print(f"unlockdesk on {label}: {rate(ours):7.1f} msg/s stored and answered "
          f"({ingest_rate:.1f} msg/s stored), p95 {ours['p95_ms']:.1f} ms, "
          f"{ours['cpu_ms_per_msg']:.1f} ms CPU each + {ours['worker_cpu_ms_per_msg']:.1f} ms "
          f"in the worker, {ours['acknowledgements_sent']} acknowledgements sent, "
          f"{ours['statuses']}  ({load_average()})")
    if not helpdesk_first:
        other = run_helpdesk(corpus, database_url, on_postgres, label)
    return ours, other


def run_helpdesk(corpus: Path, database_url: str, on_postgres: bool, label: str) -> dict[str, object] | None:
    other = helpdesk_on(corpus, database_url, on_postgres)
    if other:
        print(f"django-helpdesk 2.6.1 ({label}): {rate(other):7.1f} msg/s, p95 {other['p95_ms']:.1f} ms, "
              f"{other['cpu_ms_per_msg']:.1f} ms CPU each, {other['failures']} failed {other['errors']}  "
              f"({load_average()})")
    return other


def median(values: list[float]) -> float:
    return statistics.median(values)


def number(result: dict[str, object], key: str) -> float:
    return float(result[key])  # type: ignore[arg-type]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=1200)
    parser.add_argument("--rounds", type=int, default=1,
                        help="run both imports this many times, alternating which goes first; "
                             "the BENCH line gives the medians (the machine's speed drifts)")
    parser.add_argument("--child", type=Path)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    from corpus import generate

    database_url = os.environ.get("DATABASE_URL", "")
    on_postgres = database_url.startswith(("postgres://", "postgresql://"))
    if database_url and not on_postgres:
        print(f"DATABASE_URL is neither PostgreSQL nor unset: {urlsplit(database_url).scheme}; using SQLite")
    label = "postgresql" if on_postgres else "sqlite"
    print(f"before: {load_average()}")
    with tempfile.TemporaryDirectory(prefix="bench-email-corpus-") as folder:
        corpus = Path(folder)
        generate(corpus, args.messages)
        size = sum(p.stat().st_size for p in corpus.glob("*.eml")) / 1e6
        print(f"corpus: {args.messages} messages, {size:.1f} MB")
        rounds = [one_round(corpus, database_url, on_postgres, label, helpdesk_first=n % 2 == 1)
                  for n in range(max(1, args.rounds))]
    ours_all = [ours for ours, _other in rounds]
    others = [other for _ours, other in rounds if other]
    figures = [f"messages={ours_all[0]['messages']}",
               f"per_s={median([rate(o) for o in ours_all]):.1f}",
               f"p95_ms={median([number(o, 'p95_ms') for o in ours_all]):.1f}", f"db={label}",
               f"cpu_ms={median([number(o, 'cpu_ms_per_msg') for o in ours_all]):.1f}",
               "ingest_per_s=" + format(median([number(o, "messages") / number(o, "ingest_seconds")
                                                for o in ours_all]), ".1f"),
               f"worker_cpu_ms={median([number(o, 'worker_cpu_ms_per_msg') for o in ours_all]):.1f}",
               f"acks_sent={ours_all[0]['acknowledgements_sent']}"]
    if len(others) == len(rounds):
        ratios = [rate(o) / rate(h) for o, h in zip(ours_all, others, strict=True)]
        figures += [f"helpdesk_per_s={median([rate(o) for o in others]):.1f}",
                    f"helpdesk_p95_ms={median([number(o, 'p95_ms') for o in others]):.1f}",
                    f"helpdesk_cpu_ms={median([number(o, 'cpu_ms_per_msg') for o in others]):.1f}",
                    f"rounds={len(rounds)}", f"ratio={median(ratios):.2f}"]
    print("figures are noisy: shared 2-core machine, other work running")
    print("BENCH email " + " ".join(figures))


if __name__ == "__main__":
    main()
