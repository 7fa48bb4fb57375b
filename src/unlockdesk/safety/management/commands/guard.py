"""`unlockdesk guard`: the outbound guard on agent drafts read from stdin, one per line.

Prints one JSON object per input line, in order: {"blocked": true|false, "reason": "..."};
the reason says why in --language (empty when the draft may be sent). The same `check` that
`tickets.reply()` and macros use; it reads no database and writes nothing.
"""

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import override

from unlockdesk.safety.guard import check


class Command(BaseCommand):
    help = "Judge agent drafts from stdin (one per line) with the outbound guard; one JSON line each."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--language", default="en", choices=["en", "zh-hans"])

    def handle(self, *args: Any, **options: Any) -> None:
        with override(options["language"]):
            for line in sys.stdin:
                violation = check(line.rstrip("\r\n"))
                self.stdout.write(json.dumps(
                    {"blocked": violation is not None, "reason": str(violation.reason) if violation else ""},
                    ensure_ascii=False))
