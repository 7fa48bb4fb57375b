"""`unlockdesk scan`: the secret scanner on stdin, one JSON object per input line.

Output per line: {"redacted": "...", "findings": [{"kind", "start", "end"}]}, offsets in
characters of the input line (without its newline). Reads nothing else, writes nothing.
"""

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand

from unlockdesk.safety.scanner import scan


class Command(BaseCommand):
    help = "Scan text lines from stdin for secrets; print one JSON object per line."

    def handle(self, *args: Any, **options: Any) -> None:
        for line in sys.stdin:
            text = line.rstrip("\r\n")
            result = scan(text)
            self.stdout.write(json.dumps({
                "redacted": result.redacted,
                "findings": [{"kind": f.kind, "start": f.start, "end": f.end} for f in result.findings],
            }, ensure_ascii=False))
