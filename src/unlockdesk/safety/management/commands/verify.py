"""`unlockdesk verify INPUT`: is a link, email, phone number, handle or 工号 ours?

Prints {"verdict": "official"|"lookalike"|"unknown", "reason": "..."}; exit status 2 with a
message on stderr when the input is not recognisable. Read-only.
"""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import override

from unlockdesk.safety.verifier import UnrecognisedInput, verify


class Command(BaseCommand):
    help = "Check whether a URL, email, phone number, handle or agent number is official."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("input", help="what to check, e.g. https://okx-support.com")
        parser.add_argument("--language", default="en", choices=["en", "zh-hans", "zh-hant"])

    def handle(self, *args: Any, **options: Any) -> None:
        with override(options["language"]):
            try:
                answer = verify(options["input"])
            except UnrecognisedInput as exc:
                raise CommandError(str(exc), returncode=2) from exc
            self.stdout.write(json.dumps({"verdict": answer.verdict, "reason": answer.reason},
                                         ensure_ascii=False))
