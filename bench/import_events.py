"""Import rate of the exchange's event feed: N accounts, each with a lock, via `import-events`.

Generates a JSON Lines file of N account events (KYC name, ID number, email, phone) and N lock
events, then runs the real `import-events` command on a fresh database: PostgreSQL when
DATABASE_URL names one (a database of the benchmark's own, `--db-name`, dropped afterwards
unless `--keep`), else SQLite in a temporary folder. `--replay` times a second run of the same
file (every event a duplicate). Wall-clock on a shared 2-core machine: noisy, read it as an
order of magnitude; the load average is printed.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x .venv/bin/python bench/import_events.py \\
        --accounts 1000000 --db-name bench_feed

Last line: BENCH import_events accounts=N events=2N rows_per_s=.. db=sqlite|postgresql
replay_rows_per_s=.. (rows: events stored, each an account or a lock row plus its event id)
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
# bench/ holds email.py, which would shadow the standard library's `email` package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
REASONS = ["risk_control", "suspicious_login", "wrong_codes", "security_change_hold",
           "self_freeze", "compliance_review", "stolen_report"]
RESTRICTIONS = [["login"], ["login", "withdraw"], ["trade", "withdraw"], ["withdraw"],
                ["login", "trade", "withdraw"], ["trade", "withdraw", "deposit"]]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静磊洋勇艳杰涛明超霞平"


def id_number(rng: random.Random) -> str:
    """A Chinese resident ID number with a valid check digit (GB 11643)."""
    body = f"{rng.choice(['110101', '310101', '440305', '330106'])}{rng.randint(1960, 2004)}" \
           f"{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]


def generate(path: Path, accounts: int, seed: int = 11) -> int:
    rng = random.Random(seed)
    lines = 0
    with path.open("w", encoding="utf-8") as out:
        for n in range(accounts):
            uid = str(50000000 + n)
            out.write(json.dumps({
                "id": f"acct-{uid}-1", "type": "account", "uid": uid, "version": 1,
                "email": f"bench{n}@example.com", "phone": f"+86139{n % 10**8:08d}",
                "kyc_name": rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                "id_number": id_number(rng), "anti_phishing_code": f"AP{n:08d}",
                "language": rng.choice(["zh-hans", "zh-hans", "en"]), "time_zone": "Asia/Shanghai",
            }, ensure_ascii=False) + "\n")
            out.write(json.dumps({
                "id": f"lock-{uid}-1", "type": "lock", "uid": uid, "version": 1,
                "lock_id": f"L{uid}", "reason": REASONS[n % len(REASONS)],
                "restrictions": RESTRICTIONS[n % len(RESTRICTIONS)],
                "since": f"2026-11-{1 + n % 28:02d}T{n % 24:02d}:15:00+08:00",
                "auto_lift_at": None, "lifted_at": None, "note": "",
            }) + "\n")
            lines += 2
    return lines


def child(events: Path, replay: bool) -> None:
    """Runs in its own process (settings are per process): migrate, then time the command."""
    import io

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unlockdesk.settings")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    runs = []
    for _round in range(2 if replay else 1):
        out = io.StringIO()
        began, cpu_began = time.perf_counter(), time.process_time()
        call_command("import-events", str(events), stdout=out)
        seconds, cpu = time.perf_counter() - began, time.process_time() - cpu_began
        summary = json.loads(out.getvalue().strip().splitlines()[-1])
        summary.pop("refused_lines", None)
        runs.append({**summary, "seconds": seconds, "cpu_seconds": cpu})
    print(json.dumps(runs))


def postgres_database(url: str, name: str) -> tuple[str, str]:
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}")), admin


def drop_postgres_database(name: str, admin: str) -> None:
    import psycopg

    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def load_average() -> str:
    return "load average " + ", ".join(f"{value:.2f}" for value in os.getloadavg())


def run_child(events: Path, database_url: str | None, replay: bool) -> list[dict[str, float]]:
    with tempfile.TemporaryDirectory(prefix="bench-feed-") as data_dir:
        env = {k: v for k, v in os.environ.items()
               if k not in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL")}
        env.update(UNLOCKDESK_DATA_DIR=data_dir, UNLOCKDESK_TASKS_EAGER="1",
                   UNLOCKDESK_LOG_LEVEL="ERROR", PYTHONPATH=str(ROOT / "src"))
        if database_url:
            env["DATABASE_URL"] = database_url
        args = [sys.executable, __file__, "--child", str(events)] + (["--replay"] if replay else [])
        done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-3000:])
    runs: list[dict[str, float]] = json.loads(done.stdout.strip().splitlines()[-1])
    return runs


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--accounts", type=int, default=20000)
    parser.add_argument("--db-name", default="bench_feed")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    parser.add_argument("--replay", action="store_true", help="also time a second run")
    parser.add_argument("--child", type=Path)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.replay)
        return
    database_url = os.environ.get("DATABASE_URL", "")
    on_postgres = database_url.startswith(("postgres://", "postgresql://"))
    print(f"before: {load_average()}")
    with tempfile.TemporaryDirectory(prefix="bench-feed-events-") as folder:
        events = Path(folder) / "events.jsonl"
        lines = generate(events, args.accounts)
        print(f"events: {lines} ({events.stat().st_size / 1e6:.0f} MB), {args.accounts} accounts")
        if on_postgres:
            url, admin = postgres_database(database_url, args.db_name)
            try:
                runs = run_child(events, url, args.replay)
            finally:
                if not args.keep:
                    drop_postgres_database(args.db_name, admin)
            label = "postgresql"
        else:
            runs = run_child(events, None, args.replay)
            label = "sqlite"
    first = runs[0]
    rate = first["stored"] / first["seconds"]
    print(f"import on {label}: {first['stored']:.0f} stored, {first['refused']:.0f} refused in "
          f"{first['seconds']:.1f} s = {rate:,.0f} rows/s, {first['cpu_seconds']:.1f} s CPU "
          f"({load_average()})")
    figures = [f"accounts={args.accounts}", f"events={lines}", f"rows_per_s={rate:.0f}",
               f"db={label}", f"seconds={first['seconds']:.1f}"]
    if len(runs) > 1:
        replay_rate = runs[1]["read"] / runs[1]["seconds"]
        print(f"replay: {runs[1]['unchanged']:.0f} unchanged in {runs[1]['seconds']:.1f} s = "
              f"{replay_rate:,.0f} rows/s")
        figures.append(f"replay_rows_per_s={replay_rate:.0f}")
    print("figures are noisy: shared 2-core machine, other work running")
    print("BENCH import_events " + " ".join(figures))


if __name__ == "__main__":
    main()
