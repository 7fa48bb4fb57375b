"""`unlockdesk verify-export FILE`: is this records file one we issued, unchanged?

Prints one line and exits 0 when genuine, 1 when not (changed, unknown key, not an export).
"""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from unlockdesk.records import signing

_KINDS = {"pdf": "records PDF", "json": "records JSON"}


class Command(BaseCommand):
    help = "Say whether a customer's exported records file (PDF or JSON) is genuine and unchanged."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", nargs="?", help="the .pdf or .json file the customer downloaded")
        parser.add_argument("--public-key", action="store_true",
                            help="print this desk's current public key (base64 Ed25519) and stop")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["public_key"]:
            self.stdout.write(signing.public_key_text())
            return
        if not options["file"]:
            raise CommandError("name the file to check: unlockdesk verify-export FILE")
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from exc
        verdict = signing.verify(data)
        digest = signing.sha256(data)
        if verdict.genuine:
            self.stdout.write(f"genuine: {_KINDS[verdict.kind]} signed by this desk "
                              f"(key {verdict.key_id}), unchanged; sha256 {digest}")
            return
        self.stdout.write(f"NOT genuine: {verdict.reason}; sha256 {digest}")
        raise SystemExit(1)
