"""`unlockdesk hant-catalogs`: the Traditional Chinese catalogs, made from the Simplified ones.

Translations are written and reviewed once, in Simplified (docs/glossary.md); this converts each
app's zh_Hans catalog with OpenCC into zh_Hant beside it, before `compilemessages`. The
generated files are build output (ignored by git): edit the Simplified catalog, not these.
"""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from unlockdesk.chinese import to_traditional

SIMPLIFIED = Path("locale/zh_Hans/LC_MESSAGES/django.po")
TRADITIONAL = Path("locale/zh_Hant/LC_MESSAGES/django.po")


def convert_catalog(text: str) -> str:
    """Convert every msgstr (and its continuation lines); msgid, msgctxt and comments stay."""
    out: list[str] = []
    in_msgstr = False
    for line in text.splitlines(keepends=True):
        if line.startswith("msgstr"):
            in_msgstr = True
        elif not line.startswith('"'):
            in_msgstr = False
        if in_msgstr and not line.startswith('"Language:'):
            line = to_traditional(line)
        out.append(line.replace('"Language: zh_Hans\\n"', '"Language: zh_Hant\\n"'))
    return "".join(out)


class Command(BaseCommand):
    help = "Write each app's zh_Hant catalog from its zh_Hans one (OpenCC, Taiwan phrasing)."

    def handle(self, *args: Any, **options: Any) -> None:
        root = Path(settings.BASE_DIR)
        written = 0
        for source in sorted(root.rglob(str(SIMPLIFIED))):
            app = source.parents[len(SIMPLIFIED.parts) - 1]
            target = app / TRADITIONAL
            target.parent.mkdir(parents=True, exist_ok=True)
            converted = convert_catalog(source.read_text(encoding="utf-8"))
            if not target.exists() or target.read_text(encoding="utf-8") != converted:
                target.write_text(converted, encoding="utf-8")
            written += 1
        if options["verbosity"] > 1:
            self.stdout.write(f"{written} Traditional Chinese catalogs")
