"""`unlockdesk account UID`: the mirror's view of one account as JSON, for staff and scripts.

{"uid", "kyc_name_masked", "id_number_masked", "feed_version",
 "locks": [{"reason", "restrictions", "since", "active", "lifted_at", "lock_id"}],
 "open_tickets": [{"number", "status", "channel", "updated_at"}]}
KYC values appear masked only. Exit status 1 when the UID is not in the mirror.
"""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from unlockdesk.accounts import selectors as account_selectors
from unlockdesk.tickets import selectors as ticket_selectors


class Command(BaseCommand):
    help = "Print the account mirror's view of one UID as JSON (masked KYC, locks, open tickets)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("uid")

    def handle(self, *args: Any, **options: Any) -> None:
        account = account_selectors.account_by_uid(options["uid"])
        if account is None:
            raise CommandError(f"no account with UID {options['uid']} in the mirror")
        view = account_selectors.mirror_view(account)
        view["open_tickets"] = [
            {"number": t.number, "status": t.status, "channel": t.channel,
             "updated_at": t.updated_at.isoformat()}
            for t in ticket_selectors.open_tickets_of_account(account)
        ]
        self.stdout.write(json.dumps(view, ensure_ascii=False))
