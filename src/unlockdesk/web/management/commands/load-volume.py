"""`unlockdesk load-volume`: fill the configured database with synthetic tickets at scale."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from unlockdesk.web.demo.volume import VolumePlan, VolumeRefused, load_volume


class Command(BaseCommand):
    help = ("Add N synthetic tickets with M messages each (zh and en, every channel, status and "
            "priority, two years of dates), with contacts, accounts and transactions, for "
            "capacity planning and benchmarks. PostgreSQL is filled with COPY.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tickets", type=int, required=True)
        parser.add_argument("--messages-per-ticket", type=int, default=3)
        parser.add_argument("--accounts", type=int, default=None,
                            help="exchange accounts to create (default: a quarter of --tickets)")
        parser.add_argument("--seed", type=int, default=13)
        parser.add_argument("--yes", action="store_true", help="do it (it writes a lot)")
        parser.add_argument("--force", action="store_true",
                            help="also into a database holding tickets load-volume did not make")

    def handle(self, *args: Any, **options: Any) -> None:
        tickets, per_ticket = options["tickets"], options["messages_per_ticket"]
        if tickets < 1 or per_ticket < 1:
            raise CommandError("--tickets and --messages-per-ticket must be at least 1.")
        if not options["yes"]:
            raise CommandError(f"This adds {tickets:,} tickets and {tickets * per_ticket:,} "
                               "messages to the configured database; add --yes to go ahead.")
        accounts = options["accounts"] if options["accounts"] is not None else max(1, tickets // 4)
        try:
            report = load_volume(VolumePlan(tickets=tickets, messages_per_ticket=per_ticket,
                                            accounts=accounts, seed=options["seed"]),
                                 force=options["force"])
        except VolumeRefused as exc:
            raise CommandError(
                "This database holds tickets load-volume did not make (real or demo data). "
                "Use an empty database, or add --force to add synthetic tickets beside them."
            ) from exc
        self.stdout.write(
            f"loaded {report.tickets:,} tickets, {report.messages:,} messages, "
            f"{report.contacts:,} contacts, {report.accounts:,} accounts, "
            f"{report.transactions:,} transactions in {report.seconds:.1f} s")
