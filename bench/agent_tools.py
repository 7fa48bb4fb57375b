"""Agent tools at volume: saved-view counts in the inbox sidebar, the bulk confirmation count,
bulk-job throughput, and a merge of two long tickets.

Loads N tickets (`unlockdesk load-volume`) into a database of its own, then times:

    sidebar     views_with_counts() for five saved views (my open P1, P1, new, SLA breaching
                within 1 h, unlock waiting for a second reviewer): bounded counts, one query each
    inbox       GET /console/ with those five views in the sidebar (whole Django stack)
    confirm     count_matching() for "everything open" (what the confirmation step shows)
    bulk        run_batch() of a bulk "add tag" job: tickets per second, each with its timeline
                event and audit entry
    merge       merge_tickets() of two tickets with 100 messages each

    .venv/bin/python bench/agent_tools.py                                   # SQLite, 100,000
    .venv/bin/python bench/agent_tools.py --database-url postgres://postgres@127.0.0.1:5432/bench_tools
"""

import argparse
import logging
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from console import PASSWORD, _fresh_postgres, _sign_in  # noqa: E402


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--sqlite", default="var/bench-agent-tools.sqlite3")
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--bulk", type=int, default=2_000, help="tickets the bulk job changes")
    parser.add_argument("--reuse", action="store_true")
    return parser.parse_args()


def _load(args: argparse.Namespace) -> None:
    if args.reuse:
        return
    if args.database_url:
        _fresh_postgres(args.database_url)
    else:
        Path(args.sqlite).unlink(missing_ok=True)
    for command in (["migrate", "-v0"],
                    ["load-volume", "--tickets", str(args.tickets), "--messages-per-ticket", "2", "--yes"]):
        subprocess.run([sys.executable, "-m", "unlockdesk.cli", *command], check=True, cwd=ROOT,
                       env=os.environ.copy())


def _ms(action: Callable[[], object], rounds: int) -> tuple[float, float]:
    action()  # warm-up
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.95))]


def _long_pair(agent: object) -> tuple[object, object]:
    from unlockdesk.tickets.models import Ticket
    from unlockdesk.tickets.services import receive
    from unlockdesk.tickets.types import Channel, IdentityKind, InboundMessage, SenderIdentity

    sender = SenderIdentity(IdentityKind.EMAIL, f"merge.{time.time_ns()}@example.com")
    numbers = []
    for subject in ("bench: merge keep", "bench: merge other"):
        number = ""
        for n in range(100):
            number = receive(InboundMessage(
                channel=Channel.EMAIL, external_id=f"bench-merge-{subject}-{n}-{time.time_ns()}",
                sender=sender, subject=subject, ticket_number=number,
                text=f"第 {n} 条：提币还没有到账。Message {n}.")).ticket_number
        numbers.append(number)
    return Ticket.objects.get(number=numbers[0]), Ticket.objects.get(number=numbers[1])


def main() -> None:
    args = _args()
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{Path(args.sqlite).resolve()}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unlockdesk.settings")
    os.environ["UNLOCKDESK_ALLOWED_HOSTS"] = "testserver"
    _load(args)

    import django

    django.setup()
    logging.getLogger("axes").setLevel(logging.WARNING)
    from unlockdesk.tickets import saved_views
    from unlockdesk.tickets.models import BulkJob, SavedView, Ticket
    from unlockdesk.tickets.services import merge_tickets
    from unlockdesk.tickets.services.bulk import count_matching, run_batch

    client, agent = _sign_in()
    assert PASSWORD
    SavedView.objects.filter(owner=agent).delete()
    for name, query in (("my open P1", "priority=1&mine=1"), ("P1", "priority=1"), ("new", "status=new"),
                        ("SLA 1 h", "when=sla_1h"), ("four eyes", "when=second_reviewer")):
        SavedView.objects.create(name=name, owner=agent, query=query)
    figures: dict[str, float] = {}
    figures["sidebar_p50_ms"], figures["sidebar_p95_ms"] = _ms(
        lambda: saved_views.views_with_counts(agent), args.rounds)
    figures["inbox_p50_ms"], figures["inbox_p95_ms"] = _ms(lambda: client.get("/console/"), args.rounds)
    figures["confirm_p50_ms"], figures["confirm_p95_ms"] = _ms(
        lambda: count_matching(by=agent, query=""), args.rounds)

    first = Ticket.objects.order_by("pk").values_list("pk", flat=True).first() or 0
    last = Ticket.objects.order_by("pk").values_list("pk", flat=True)[args.bulk - 1]
    job = BulkJob.objects.create(agent=agent, query="status=all", action="tag",
                                 value=f"bench-{time.time_ns() % 10**6}", total=args.bulk,
                                 last_id=last, cursor=first - 1)
    started = time.perf_counter()
    while run_batch(job.pk):
        pass
    seconds = time.perf_counter() - started
    job.refresh_from_db()
    figures["bulk_tickets_per_s"] = round((job.changed + job.skipped) / seconds, 1)

    keep, other = _long_pair(agent)
    started = time.perf_counter()
    merge_tickets(keep=keep, other=other, by=agent)  # type: ignore[arg-type]
    figures["merge_200_messages_ms"] = round((time.perf_counter() - started) * 1000, 1)

    tickets = Ticket.objects.count()
    load = os.getloadavg()[0]
    for key, value in figures.items():
        print(f"{key:24} {value:10.1f}")
    engine = "postgresql" if args.database_url else "sqlite"
    print("BENCH agent_tools " + " ".join(
        [f"db={engine}", f"tickets={tickets}", *(f"{k}={v:.1f}" for k, v in figures.items()),
         f"load={load:.2f}"]))


if __name__ == "__main__":
    main()
