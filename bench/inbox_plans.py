"""EXPLAIN ANALYZE of every inbox query (the default view and each filter) on PostgreSQL.

Runs `tickets.selectors.inbox_for` as a supervisor for each filter, captures the SQL it sends,
and prints each ticket query's execution time, the indexes it reads and any Sort node (a big
sort means no index delivers the order; a date range's ids are a top-N sort of the range's
index entries by design). Last line:
`BENCH inbox_plans tickets=N queries=Q max_ms=.. big_sorts=S` (sorts of more than 1,000 rows).

    .venv/bin/python bench/inbox_plans.py --database-url postgres://postgres@127.0.0.1:5432/bench_perf
    .venv/bin/python bench/inbox_plans.py ... --verbose      # the whole plans
"""

import argparse
import json
import os
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT / "src"))


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/bench_console")
    parser.add_argument("--verbose", action="store_true")
    return parser.parse_args()


BIG_SORT = 1000  # rows: a sort of more means no index delivered the order


def _walk(node: dict, found: dict[str, list[str]]) -> None:  # type: ignore[type-arg]
    kind = node["Node Type"]
    if "Index Name" in node:
        found["indexes"].append(node["Index Name"])
    if kind == "Seq Scan":
        found["seq"].append(node.get("Relation Name", "?"))
    if kind == "Sort":
        found["sorts"].append(f"{node.get('Sort Method', '?')} of {node.get('Actual Rows', '?')} rows")
        if node.get("Actual Rows", 0) > BIG_SORT:
            found["big"].append(node["Node Type"])
    for child in node.get("Plans", []):
        _walk(child, found)


def main() -> None:
    args = _args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unlockdesk.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from unlockdesk.staff.models import Agent, Role
    from unlockdesk.tickets.models import Queue, Tag, Ticket
    from unlockdesk.tickets.selectors import InboxFilters, inbox_for

    supervisor = Agent.objects.filter(role=Role.SUPERVISOR, is_active=True).first() or \
        Agent.objects.create_user(username="bench-plans", role=Role.SUPERVISOR, agent_number="B0002")
    busiest = (Ticket.objects.exclude(assignee=None).values_list("assignee", flat=True)
               .order_by("-updated_at").first())
    mine_of = Agent.objects.get(pk=busiest) if busiest else supervisor
    queue = Queue.objects.order_by("pk").values_list("slug", flat=True).first() or ""
    tags = list(Tag.objects.filter(name__startswith="bench-").values_list("name", flat=True))
    cases: list[tuple[str, Agent, InboxFilters, str]] = [
        ("default", supervisor, InboxFilters(), ""),
        ("status=all", supervisor, InboxFilters(status="all"), ""),
        ("status=new", supervisor, InboxFilters(status="new"), ""),
        ("status=closed", supervisor, InboxFilters(status="closed"), ""),
        ("channel=telegram", supervisor, InboxFilters(channel="telegram"), ""),
        ("channel=phone all", supervisor, InboxFilters(channel="phone", status="all"), ""),
        ("priority=1", supervisor, InboxFilters(priority="1"), ""),
        (f"queue={queue}", supervisor, InboxFilters(queue=queue), ""),
        ("mine", mine_of, InboxFilters(mine=True), ""),
        *((f"tag={tag}", supervisor, InboxFilters(tag=tag), "") for tag in tags),
        ("date range", supervisor, InboxFilters(status="all", created_from=date(2026, 1, 1),
                                                created_to=date(2026, 3, 31)), ""),
        ("date range open", supervisor, InboxFilters(created_from=date(2026, 1, 1),
                                                     created_to=date(2026, 3, 31)), ""),
        ("when=sla_1h", supervisor, InboxFilters(when="sla_1h"), ""),
        ("when=second_reviewer", supervisor, InboxFilters(when="second_reviewer"), ""),
    ]
    # A deep page: the cursor of page 50 of "everything".
    after = ""
    for _ in range(50):
        after = inbox_for(supervisor, InboxFilters(status="all"), after=after).next_cursor
    cases.append(("status=all page 51", supervisor, InboxFilters(status="all"), after))

    total, worst, sorts = 0, 0.0, 0
    for label, agent, filters, cursor in cases:
        with CaptureQueriesContext(connection) as captured:
            inbox_for(agent, filters, after=cursor)
        ms_all = 0.0
        print(f"== {label}")
        for query in captured.captured_queries:
            sql = query["sql"]
            if ' FROM "tickets_ticket" ' not in sql or not sql.startswith("SELECT"):
                continue
            with connection.cursor() as cur:
                cur.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)
                plan = cur.fetchone()[0]
                plan = plan if isinstance(plan, list) else json.loads(plan)
            found: dict[str, list[str]] = {"indexes": [], "seq": [], "sorts": [], "big": []}
            _walk(plan[0]["Plan"], found)
            ms = plan[0]["Execution Time"]
            ms_all += ms
            worst = max(worst, ms)
            total += 1
            sorts += len(found["big"])
            kind = "count" if "COUNT(" in sql else "rows"
            print(f"   {ms:7.2f} ms {kind:5} idx={','.join(dict.fromkeys(found['indexes'])) or '-'}"
                  + (f" SEQ={','.join(found['seq'])}" if found["seq"] else "")
                  + (f" SORT={'; '.join(found['sorts'])}" if found["sorts"] else ""))
            if args.verbose:
                print(sql)
                with connection.cursor() as cur:
                    cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                    print("\n".join(r[0] for r in cur.fetchall()))
        print(f"   total {ms_all:.2f} ms in {len(captured.captured_queries)} queries")
    print(f"BENCH inbox_plans tickets={Ticket.objects.count()} queries={total} "
          f"max_ms={worst:.2f} big_sorts={sorts}")


if __name__ == "__main__":
    main()
