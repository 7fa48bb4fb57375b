"""The labelled corpus (data/corpus.jsonl) and a look at everything the database holds."""

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.db import connection

CORPUS = Path(__file__).with_name("data") / "corpus.jsonl"


@lru_cache(maxsize=1)
def items() -> tuple[dict[str, Any], ...]:
    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    return tuple(json.loads(line) for line in lines if line.strip())


def with_secrets() -> list[dict[str, Any]]:
    return [item for item in items() if item["secrets"]]


def near_misses() -> list[dict[str, Any]]:
    return [item for item in items() if not item["secrets"]]


def secret_values() -> list[str]:
    return [secret["value"] for item in with_secrets() for secret in item["secrets"]]


def database_text() -> str:
    """Every cell of every table, as text: what an attacker with a dump would read."""
    chunks: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                chunks.extend(str(cell) for cell in row if cell is not None)
    return "\n".join(chunks)


_FRACTION = re.compile(r"\d\d:\d\d:\d\d\.$")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)


def _by_chance(text: str, start: int, end: int) -> bool:
    """A code that is only the microseconds of a timestamp or one group of a random UUID
    (one time in a million, or in 65,536, per cell: enough to make a test flaky)."""
    if _FRACTION.search(text[max(0, start - 9) : start]):
        return True
    return any(
        u.start() <= start and end <= u.end() and (u.start(), u.end()) != (start, end)
        for u in _UUID.finditer(text, max(0, start - 36), min(len(text), end + 36))
    )


def leaked(values: list[str]) -> list[str]:
    """The values found in the database as whole tokens (a PIN inside a hash is not a leak)."""
    text = database_text()
    return [
        value for value in values
        if any(not _by_chance(text, m.start(), m.end())
               for m in re.finditer(rf"(?<![0-9A-Za-z]){re.escape(value)}(?![0-9A-Za-z])", text))
    ]
