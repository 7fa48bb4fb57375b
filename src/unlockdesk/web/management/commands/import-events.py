"""`unlockdesk import-events FILE.jsonl|-`: load the exchange's events from JSON Lines.

The same schema and code path as `POST /api/v1/exchange/events`. A progress line on a
terminal (stderr); on stdout one JSON summary line at the end:
{"read", "stored", "unchanged", "refused", "last_line", "refused_lines": [{"line", "reason",
"field"}], "refused_lines_truncated"}. Restartable: re-running is safe, `--from-line` skips
what an interrupted run already committed (its summary's `last_line` + 1).
"""

import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from unlockdesk.accounts.feed_import import BATCH_SIZE, ImportReport, import_lines


class Command(BaseCommand):
    help = "Import exchange events (account, lock, transaction) from a JSON Lines file or stdin."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="a .jsonl file, or - for stdin")
        parser.add_argument("--from-line", type=int, default=1,
                            help="skip the lines before this one (resume an interrupted import)")
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["from_line"] < 1 or options["batch_size"] < 1:
            raise CommandError("--from-line and --batch-size must be at least 1")
        name = options["file"]
        if name == "-":
            self._run(sys.stdin.buffer, None, options)
            return
        path = Path(name)
        if not path.is_file():
            raise CommandError(f"no such file: {name}")
        with path.open("rb") as source:
            self._run(source, path.stat().st_size, options)

    def _run(self, source: IO[bytes], total: int | None, options: dict[str, Any]) -> None:
        meter = _Meter(total, show=sys.stderr.isatty())
        try:
            report = import_lines(meter.wrap(source), from_line=options["from_line"],
                                  batch_size=options["batch_size"], progress=meter.show)
        except KeyboardInterrupt:
            committed = meter.last.last_line if meter.last else options["from_line"] - 1
            sys.stderr.write(f"\ninterrupted: lines up to {committed} are committed; "
                             f"resume with --from-line {committed + 1}\n")
            raise SystemExit(130) from None
        meter.done()
        self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))


class _Meter:
    """A one-line progress display on stderr: lines, rate and (for files) percent done."""

    def __init__(self, total: int | None, *, show: bool) -> None:
        self.total = total
        self.visible = show
        self.bytes = 0
        self.started = time.monotonic()
        self.last: ImportReport | None = None

    def wrap(self, source: IO[bytes]) -> Iterator[bytes]:
        for line in source:
            self.bytes += len(line)
            yield line

    def show(self, report: ImportReport) -> None:
        self.last = report
        if not self.visible:
            return
        elapsed = max(time.monotonic() - self.started, 1e-6)
        percent = f" {100 * self.bytes / self.total:5.1f}%" if self.total else ""
        sys.stderr.write(f"\r{percent} line {report.last_line:,} · stored {report.stored:,} · "
                         f"unchanged {report.unchanged:,} · refused {report.refused:,} · "
                         f"{report.read / elapsed:,.0f} events/s ")
        sys.stderr.flush()

    def done(self) -> None:
        if self.visible:
            sys.stderr.write("\n")
