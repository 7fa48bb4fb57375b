"""`unlockdesk seed-demo`: load demo data into the configured database (idempotent)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from unlockdesk.web.demo.seed import seed


class Command(BaseCommand):
    help = "Load demo accounts, locks, tickets on every channel and agents (safe to re-run)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--accounts", type=int, default=300)
        parser.add_argument("--tickets-per-channel", type=int, default=20)

    def handle(self, *args: Any, **options: Any) -> None:
        report = seed(accounts=options["accounts"],
                      tickets_per_channel=options["tickets_per_channel"])
        self.stdout.write(
            f"demo data: {report.accounts} accounts ({report.locked} locked), "
            f"{report.tickets} tickets, {report.agents} agents"
        )
