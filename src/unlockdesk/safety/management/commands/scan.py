"""`unlockdesk scan`: the secret scanner on stdin, one JSON object per input line.

Output per line: {"redacted": "...", "findings": [{"kind", "start", "end"}]}, offsets in
characters of the input line (without its newline). Reads nothing else, writes nothing.

Input is read as UTF-8; bytes that are not UTF-8 become U+FFFD (never written back as they
came), so the output is always valid UTF-8 whatever was piped in and whatever the locale.
"""

import io
import json
import sys
from collections.abc import Iterable
from typing import Any

from django.core.management.base import BaseCommand

from unlockdesk.safety.scanner import scan


def readable(line: str) -> str:
    """A line as valid Unicode: undecodable input bytes (held as lone surrogates) become U+FFFD."""
    try:
        raw = line.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate that was never a byte: keep its place, replaced
        raw = line.encode("utf-8", "surrogatepass")
    return raw.decode("utf-8", "replace")


class Command(BaseCommand):
    help = "Scan text lines from stdin for secrets; print one JSON object per line."

    def handle(self, *args: Any, **options: Any) -> None:
        out = getattr(self.stdout, "_out", None)
        if out is not None and out is sys.stdout and isinstance(out, io.TextIOWrapper):
            out.reconfigure(encoding="utf-8", errors="strict")  # the locale's codec may not be UTF-8
        source = getattr(sys.stdin, "buffer", None)
        lines: Iterable[str] = (
            (raw.decode("utf-8", "replace") for raw in source) if source is not None else sys.stdin
        )
        for line in lines:
            text = readable(line.rstrip("\r\n"))
            result = scan(text)
            self.stdout.write(json.dumps({
                "redacted": result.redacted,
                "findings": [{"kind": f.kind, "start": f.start, "end": f.end} for f in result.findings],
            }, ensure_ascii=False))
