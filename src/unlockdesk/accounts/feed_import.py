"""Importing events from JSON Lines (one event per line): first loads, replays, reconciliation.

The same `feed.apply_events` as the push endpoint, in batches of `batch_size` lines; each
batch commits on its own, so an interrupted import keeps what it did and `last_line` says where
to resume (`--from-line`). Re-running a whole file is safe too: every id already applied
reports `unchanged`.
"""

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from unlockdesk.accounts import feed
from unlockdesk.accounts.events import Refusal

BATCH_SIZE = 500
MAX_REFUSED_LISTED = 1000


@dataclass
class ImportReport:
    read: int = 0
    stored: int = 0
    unchanged: int = 0
    refused: int = 0
    last_line: int = 0
    refused_lines: list[dict[str, Any]] = field(default_factory=list)

    def count(self, line_number: int, result: feed.ItemResult) -> None:
        if result.outcome == feed.Outcome.STORED:
            self.stored += 1
        elif result.outcome == feed.Outcome.UNCHANGED:
            self.unchanged += 1
        else:
            self.refused += 1
            if len(self.refused_lines) < MAX_REFUSED_LISTED:
                self.refused_lines.append(
                    {"line": line_number, "reason": result.reason, "field": result.field})

    def as_dict(self) -> dict[str, Any]:
        return {"read": self.read, "stored": self.stored, "unchanged": self.unchanged,
                "refused": self.refused, "last_line": self.last_line,
                "refused_lines": self.refused_lines,
                "refused_lines_truncated": self.refused > len(self.refused_lines)}


Progress = Callable[[ImportReport], None]


def import_lines(lines: Iterable[str | bytes], *, from_line: int = 1,
                 batch_size: int = BATCH_SIZE, progress: Progress | None = None) -> ImportReport:
    """Apply every non-blank line from `from_line` on (1-based); a line that is not JSON is
    refused as `bad_json` like any other bad event."""
    report = ImportReport(last_line=from_line - 1)
    batch: list[tuple[int, Any]] = []
    seen = 0
    for number, line in enumerate(lines, start=1):
        seen = number
        if number < from_line or not line.strip():
            continue
        report.read += 1
        batch.append((number, _decode(line)))
        if len(batch) >= batch_size:
            _flush(batch, report, progress)
            batch = []
    _flush(batch, report, progress)
    report.last_line = max(report.last_line, seen)
    return report


class _Undecodable:
    """A line that was not JSON: kept in the batch so its line number gets a result."""


def _decode(line: str | bytes) -> Any:
    try:
        return json.loads(line)
    except (ValueError, UnicodeDecodeError):
        return _Undecodable()


def _flush(batch: list[tuple[int, Any]], report: ImportReport, progress: Progress | None) -> None:
    if not batch:
        return
    decodable = [(number, raw) for number, raw in batch if not isinstance(raw, _Undecodable)]
    results = iter(feed.apply_events(raw for _number, raw in decodable))
    applied = {number: next(results) for number, _raw in decodable}
    for index, (number, _raw) in enumerate(batch):
        result = applied.get(number) or feed.ItemResult(
            index, "", feed.Outcome.REFUSED, str(Refusal.BAD_JSON))
        report.count(number, result)
    report.last_line = batch[-1][0]
    if progress is not None:
        progress(report)
