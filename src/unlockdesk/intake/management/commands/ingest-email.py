"""`unlockdesk ingest-email FILE...`: import RFC 822 files (or stdin) into the desk.

Prints one JSON object a line: {"file", "message_id", "status", "ticket", "acknowledged",
"reason"}; status is created | appended | duplicate | ignored | rejected (see
unlockdesk.intake.mail.ingest). Safe to run again on the same files. Exit status 1 when any
file was rejected or unreadable.
"""

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from unlockdesk.intake.mail.ingest import IngestResult, ingest

# After "file", in the order the output is documented.
FIELDS = ("message_id", "status", "ticket", "acknowledged", "reason")


class Command(BaseCommand):
    help = "Import RFC 822 messages from files (or '-' / no file for stdin); one JSON line each."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="*", help="message files; '-' or none reads stdin")
        parser.add_argument("--no-acknowledge", action="store_true",
                            help="treat every message as automatic: store it, send nothing "
                                 "(for migrating history from another help desk)")

    def handle(self, *args: Any, **options: Any) -> None:
        files = options["files"] or ["-"]
        failed = False
        for name in files:
            try:
                raw = sys.stdin.buffer.read() if name == "-" else _read(name)
            except OSError as exc:
                result = IngestResult("rejected", reason=f"cannot read file: {exc.strerror}")
            else:
                result = ingest(raw, source="file", acknowledge=not options["no_acknowledge"])
            failed = failed or result.status == "rejected"
            row = result.as_dict()
            self.stdout.write(json.dumps({"file": name, **{key: row[key] for key in FIELDS}},
                                         ensure_ascii=False))
        if failed:
            sys.exit(1)


def _read(name: str) -> bytes:
    with open(name, "rb") as handle:
        return handle.read()
