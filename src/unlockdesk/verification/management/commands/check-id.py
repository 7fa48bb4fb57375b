"""`unlockdesk check-id NUMBER`: is this a valid mainland resident ID number (GB 11643)?

Prints {"valid", "reason", "birth_date", "region"}: reason is "ok" or the first problem found
(length, format, checksum, birth_date, region); birth_date (YYYY-MM-DD) and region (the place
code's name from python-stdnum) are filled when they can be read. Read-only.
"""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from unlockdesk.verification.idnumbers import describe_id_number


class Command(BaseCommand):
    help = "Check a resident ID number: structure, check digit, birth date and region code."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("number", help="the 18-character ID number")

    def handle(self, *args: Any, **options: Any) -> None:
        verdict = describe_id_number(options["number"])
        self.stdout.write(json.dumps({"valid": verdict.valid, "reason": verdict.reason,
                                      "birth_date": verdict.birth_date, "region": verdict.region},
                                     ensure_ascii=False))
