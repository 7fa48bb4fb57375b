"""`unlockdesk sync-accounts [--since ISO-8601]`: pull account, lock and transaction events
from the exchange core through the HTTP gateway (UNLOCKDESK_GATEWAY_URL / _KEY_ID / _SECRET),
for installations the core cannot push to. Prints one JSON line:
{"pages", "stored", "unchanged", "refused"}.
"""

import json
from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from unlockdesk.accounts.feed_sync import sync_accounts
from unlockdesk.accounts.http_gateway import GatewayError


class Command(BaseCommand):
    help = "Pull account changes from the exchange core (reconciliation when it cannot push)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--since", help="ISO 8601 time with offset; default: everything")

    def handle(self, *args: Any, **options: Any) -> None:
        since = None
        if options["since"]:
            try:
                since = datetime.fromisoformat(options["since"])
            except ValueError as exc:
                raise CommandError("--since must be ISO 8601, e.g. 2026-12-01T00:00:00+08:00") from exc
            if since.tzinfo is None:
                raise CommandError("--since needs an offset (+08:00 or Z)")
        try:
            report = sync_accounts(since=since)
        except GatewayError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(json.dumps(report.as_dict()))
