"""Every customer-facing text exists in Simplified Chinese.

Each app's catalog is regenerated from the code as it is now (in a copy, so the tree is left
alone) and must hold a translation for every message: a string added without one fails here,
not in front of a customer.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "unlockdesk"
CATALOG = Path("locale/zh_Hans/LC_MESSAGES/django.po")
APPS = sorted(po.parents[3] for po in SRC.rglob("django.po") if po.parent.parent.name == "zh_Hans")


def _missing(po: Path, *flags: str) -> list[str]:
    out = subprocess.run(["msgattrib", *flags, "--no-obsolete", "--no-wrap", str(po)],
                         capture_output=True, text=True, check=True).stdout
    return [line[len("msgid "):] for line in out.splitlines()
            if line.startswith("msgid ") and line != 'msgid ""']


@pytest.mark.parametrize("app", APPS, ids=[str(app.relative_to(SRC)) for app in APPS])
def test_every_message_of_the_app_is_translated(app: Path, tmp_path: Path) -> None:
    copy = tmp_path / app.name
    shutil.copytree(app, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    for nested in {p.parents[3] for p in copy.rglob("django.po")}:  # zh_Hans and zh_Hant: once
        if nested != copy:  # an app inside this one keeps its own catalog
            shutil.rmtree(nested)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "unlockdesk.settings"}
    made = subprocess.run([sys.executable, "-P", "-m", "django", "makemessages", "-l", "zh_Hans", "-v", "0"],
                          cwd=copy, env=env, capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    po = copy / CATALOG
    untranslated = _missing(po, "--untranslated")
    fuzzy = _missing(po, "--only-fuzzy")
    assert not untranslated and not fuzzy, (
        f"{app.relative_to(SRC)}: untranslated {untranslated[:20]}, fuzzy {fuzzy[:20]} "
        f"(run makemessages in the app and fill the zh_Hans catalog)")
