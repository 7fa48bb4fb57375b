"""Email intake benchmark: a generated corpus (1,000+ messages: mixed charsets, replies,
attachments) through the very path SMTP, IMAP and webhooks use (intake.mail.ingest ->
tickets.services.receive, redacted original kept, acknowledgements rendered and sent to the
locmem backend), on the database DATABASE_URL names, as the desk itself would use it:

    .venv/bin/python bench/email.py [--messages 1200]                      # SQLite (default)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x .venv/bin/python bench/email.py

For PostgreSQL the benchmark creates a fresh database of its own on that server
(`<name>_bench_email`) and drops it afterwards; the named database is not touched. In the same
run django-helpdesk's mail import reads the same files when its separate venv exists
(`make bench` creates it), as the comparison, on the same kind of database: SQLite, or a fresh
`<name>_bench_email_helpdesk` on the same PostgreSQL server.

Figures are wall-clock on a shared 2-core machine with other work running: noisy; the load
average is printed with them. Last line:
BENCH email messages=N per_s=.. p95_ms=.. db=sqlite|postgresql cpu_ms=..
    helpdesk_per_s=.. helpdesk_p95_ms=.. helpdesk_cpu_ms=.. (one line)
(cpu_ms: the ingesting process's own CPU time per message, less sensitive to the shared load)
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
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from urllib.parse import urlsplit, urlunsplit  # noqa: E402

ROOT = Path(_HERE).parent
HELPDESK_PYTHON = ROOT / "var" / "bench-helpdesk-venv" / "bin" / "python"


def child(corpus: Path) -> None:
    """Runs in its own process (settings are per process): migrate, then time every ingest."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unlockdesk.settings")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from unlockdesk.helpcenter.services import load_shipped_content
    from unlockdesk.intake.mail.ingest import ingest

    load_shipped_content()  # as deployed: acknowledgements suggest help-center articles

    files = sorted(corpus.glob("*.eml"))
    timings: list[float] = []
    statuses: dict[str, int] = {}
    began, cpu_began = time.perf_counter(), time.process_time()
    for path in files:
        raw = path.read_bytes()
        start = time.perf_counter()
        result = ingest(raw, source="bench")
        timings.append(time.perf_counter() - start)
        statuses[result.status] = statuses.get(result.status, 0) + 1
    total = time.perf_counter() - began
    cpu = time.process_time() - cpu_began
    timings.sort()
    print(json.dumps({"messages": len(files), "seconds": total, "statuses": statuses,
                      "cpu_ms_per_msg": cpu / len(files) * 1000,
                      "p95_ms": timings[int(len(timings) * 0.95) - 1] * 1000}))


def run_child(corpus: Path, database_url: str | None) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="bench-email-") as data_dir:
        env = {k: v for k, v in os.environ.items()
               if k not in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL")}
        env.update(UNLOCKDESK_DATA_DIR=data_dir, UNLOCKDESK_TASKS_EAGER="1",
                   UNLOCKDESK_LOG_LEVEL="ERROR",
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=1200)
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
    print(f"before: {load_average()}")
    with tempfile.TemporaryDirectory(prefix="bench-email-corpus-") as folder:
        corpus = Path(folder)
        generate(corpus, args.messages)
        size = sum(p.stat().st_size for p in corpus.glob("*.eml")) / 1e6
        print(f"corpus: {args.messages} messages, {size:.1f} MB")
        if on_postgres:
            pg_url, admin = postgres_database(database_url)
            try:
                ours = run_child(corpus, pg_url)
            finally:
                drop_postgres_database(pg_url, admin)
            label = "postgresql"
        else:
            ours = run_child(corpus, None)
            label = "sqlite"
        print(f"unlockdesk on {label}: {rate(ours):7.1f} msg/s, p95 {ours['p95_ms']:.1f} ms, "
              f"{ours['cpu_ms_per_msg']:.1f} ms CPU each, {ours['statuses']}  ({load_average()})")
        figures = [f"messages={ours['messages']}", f"per_s={rate(ours):.1f}",
                   f"p95_ms={ours['p95_ms']:.1f}", f"db={label}",
                   f"cpu_ms={ours['cpu_ms_per_msg']:.1f}"]
        if on_postgres:
            hd_url, admin = postgres_database(database_url, "bench_email_helpdesk")
            try:
                other = helpdesk(corpus, hd_url)
            finally:
                drop_postgres_database(hd_url, admin)
        else:
            other = helpdesk(corpus)
        if other:
            print(f"django-helpdesk 2.6.1 ({label}): {rate(other):7.1f} msg/s, p95 {other['p95_ms']:.1f} ms, "
                  f"{other['cpu_ms_per_msg']:.1f} ms CPU each, {other['failures']} failed {other['errors']}  "
                  f"({load_average()})")
            figures += [f"helpdesk_per_s={rate(other):.1f}", f"helpdesk_p95_ms={other['p95_ms']:.1f}",
                        f"helpdesk_cpu_ms={other['cpu_ms_per_msg']:.1f}"]
    print("figures are noisy: shared 2-core machine, other work running")
    print("BENCH email " + " ".join(figures))


if __name__ == "__main__":
    main()
