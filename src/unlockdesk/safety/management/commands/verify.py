"""`unlockdesk verify [--platform telegram|x|facebook] INPUT`: is a link, email, phone number,
handle or 工号 ours?

Prints {"verdict": "official"|"lookalike"|"unknown", "reason": "..."}; exit status 2 with a
message on stderr when the input is not recognisable. Read-only.
"""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import override

from unlockdesk.safety.models import ContactKind
from unlockdesk.safety.verifier import HANDLE_KINDS, UnrecognisedInput, verify


class Command(BaseCommand):
    help = "Check whether a URL, email, phone number, handle or agent number is official."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("input", help="what to check, e.g. https://okx-support.com")
        parser.add_argument("--language", default="en", choices=["en", "zh-hans", "zh-hant"])
        parser.add_argument("--platform", default="", choices=["", *HANDLE_KINDS],
                            help="where the name was seen: a bare name is that platform's handle")

    def handle(self, *args: Any, **options: Any) -> None:
        with override(options["language"]):
            try:
                platform = ContactKind(options["platform"]) if options["platform"] else None
                answer = verify(options["input"], platform=platform)
            except UnrecognisedInput as exc:
                raise CommandError(str(exc), returncode=2) from exc
            self.stdout.write(json.dumps({"verdict": answer.verdict, "reason": answer.reason},
                                         ensure_ascii=False))
