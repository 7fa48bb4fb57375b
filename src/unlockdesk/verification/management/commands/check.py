"""`unlockdesk check IMAGE --kind id_front|id_back|handheld [...]`: run the automated checks on
one picture and print a JSON list of results; without --kind, Django's system checks.

Each result: {"check", "status", "reason", "message", "detail", "region"}; `message` is in
--language (en or zh-hans). Exit status 2 with a message on stderr for a missing file, a file
over the upload limits (size, or pixels read from the header before decoding), a bad
date or ticket number. Read-only: nothing is stored.
"""

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError, CommandParser
from django.core.management.commands.check import Command as SystemCheckCommand
from django.utils import translation

from unlockdesk.safety import files
from unlockdesk.tickets.numbering import normalize as normalize_ticket
from unlockdesk.verification.standalone import KINDS, ImageClaims, check_image, desk_today
from unlockdesk.verification.types import Result


def result_json(item: Result, language: str) -> dict[str, Any]:
    return {"check": item.check, "status": str(item.status), "reason": item.reason_code,
            "message": item.message(language), "detail": item.detail,
            "region": item.region.as_dict() if item.region else None}


class Command(SystemCheckCommand):
    help = ("With --kind: run the automated checks on one evidence picture and print the results "
            "as JSON. Without: Django's system checks.")

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        group = parser.add_argument_group("evidence picture (with --kind, the first argument is IMAGE)")
        group.add_argument("--kind", choices=KINDS, help="what the picture is meant to show")
        group.add_argument("--ticket", default="", help="ticket number the handheld note must show")
        group.add_argument("--today", default="", help="the day the note must show, YYYY-MM-DD "
                                                       "(default: today in the desk's time zone)")
        group.add_argument("--name", default="", help="the applicant's name (ID card front)")
        group.add_argument("--id-number", default="", help="the applicant's ID number")
        group.add_argument("--id-front", default="", help="with a handheld photo: the card's front, "
                                                          "for the face match")
        group.add_argument("--language", default="en", choices=["en", "zh-hans", "zh-hant"])

    def handle(self, *app_labels: Any, **options: Any) -> None:
        if not options["kind"]:
            return super().handle(*app_labels, **options)
        args = [str(a) for a in app_labels]
        if len(args) != 1:
            raise CommandError("give exactly one IMAGE with --kind", returncode=2)
        claims = ImageClaims(kind=options["kind"], today=self._today(options["today"]),
                             ticket_number=self._ticket(options["ticket"]), name=options["name"].strip(),
                             id_number=options["id_number"].strip())
        with translation.override(options["language"]):
            front = self._read(options["id_front"]) if options["id_front"] else None
            image = self._read(args[0])
        results = check_image(image, claims, id_front=front)
        self.stdout.write(json.dumps([result_json(r, options["language"]) for r in results],
                                     ensure_ascii=False, indent=1))

    @staticmethod
    def _read(path: str) -> bytes:
        """The file, within the upload limits (size before reading, pixels before decoding)."""
        try:
            files.check_size(Path(path).stat().st_size, limit=settings.UNLOCKDESK_EVIDENCE_MAX_BYTES)
            data = Path(path).read_bytes()
            files.check_pixels(data)
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}", returncode=2) from exc
        except files.FileRefused as exc:
            if exc.code != "damaged":  # an undecodable file is the checks' `unreadable` result
                raise CommandError(f"{path}: {exc.message}", returncode=2) from exc
        return data

    @staticmethod
    def _today(value: str) -> date:
        if not value:
            return desk_today()
        try:
            return date.fromisoformat(value)
        except ValueError as exc:
            raise CommandError(f"--today must be YYYY-MM-DD, not {value!r}", returncode=2) from exc

    @staticmethod
    def _ticket(value: str) -> str:
        if not value.strip():
            return ""
        number = normalize_ticket(value)
        if not number:
            raise CommandError(f"{value!r} is not a ticket number", returncode=2)
        return number
