"""`unlockdesk search-help QUERY --lang zh-hans|zh-hant|en`: the help search as JSON, best first."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from unlockdesk.helpcenter import selectors


class Command(BaseCommand):
    help = "Search the published help articles; prints a JSON list of {title, slug, score}, best first."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("query", nargs="+")
        parser.add_argument("--lang", choices=["zh-hans", "zh-hant", "en"], default="zh-hans")
        parser.add_argument("--limit", type=int, default=5)

    def handle(self, *args: Any, **options: Any) -> None:
        if not 1 <= options["limit"] <= 50:
            raise CommandError("--limit must be between 1 and 50")
        hits = selectors.search(" ".join(options["query"]), options["lang"], limit=options["limit"])
        rows = [{"title": h.title, "slug": h.slug, "score": h.score} for h in hits]
        self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
