"""django-helpdesk's mail import on the benchmark corpus, run with ITS OWN interpreter
(a separate venv made by `make bench`), never the project's: prints one JSON line.

Calls helpdesk.email.extract_email_metadata(), what its `get_email` command runs for each
message of a local mail directory, on a fresh SQLite database, or on the fresh PostgreSQL
database named by a second argument (a postgres:// URL), so each desk is measured on the
database the comparison names.
"""

import json
import logging
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

import django
from django.conf import settings

urlpatterns: list[object] = []


def database(folder: Path, url: str) -> dict[str, object]:
    if not url:
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(folder / "hd.sqlite3")}
    parts = urlsplit(url)
    return {"ENGINE": "django.db.backends.postgresql", "NAME": parts.path.lstrip("/"),
            "USER": unquote(parts.username or ""), "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "", "PORT": str(parts.port or "")}


def configure(folder: Path, url: str) -> None:
    settings.configure(
        DEBUG=False, SECRET_KEY="bench-only", USE_TZ=True, SITE_ID=1,  # noqa: S106
        DATABASES={"default": database(folder, url)},
        INSTALLED_APPS=["django.contrib.admin", "django.contrib.auth", "django.contrib.contenttypes",
                        "django.contrib.sessions", "django.contrib.messages", "django.contrib.sites",
                        "django.contrib.humanize", "rest_framework", "helpdesk"],
        MEDIA_ROOT=str(folder / "media"), ROOT_URLCONF="__main__",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        HELPDESK_TEAMS_MODE_ENABLED=False, DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
        TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True,
                    "OPTIONS": {"context_processors": ["django.template.context_processors.request"]}}],
    )
    django.setup()
    from django.urls import include, path

    global urlpatterns  # this script is the URLconf: helpdesk reverses its own URLs
    urlpatterns = [path("helpdesk/", include("helpdesk.urls", namespace="helpdesk"))]


def main() -> None:
    corpus = sorted(Path(sys.argv[1]).glob("*.eml"))
    with tempfile.TemporaryDirectory() as tmp:
        configure(Path(tmp), sys.argv[2] if len(sys.argv) > 2 else "")
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        from helpdesk.email import extract_email_metadata
        from helpdesk.models import Queue

        queue = Queue.objects.create(title="Support", slug="support", email_box_type="local",
                                     allow_email_submission=True)
        logger = logging.getLogger("helpdesk-bench")
        logger.setLevel(logging.ERROR)
        timings, failures, errors = [], 0, {}
        began, cpu_began = time.perf_counter(), time.process_time()
        for path in corpus:
            text = path.read_bytes().decode("utf-8", errors="replace")  # what its reader does
            start = time.perf_counter()
            try:
                extract_email_metadata(message=text, queue=queue, logger=logger)
            except Exception as exc:  # counted and reported: the comparison must see failures
                failures += 1
                errors.setdefault(type(exc).__name__, str(exc)[:200])
            timings.append(time.perf_counter() - start)
        total = time.perf_counter() - began
        cpu = time.process_time() - cpu_began
    timings.sort()
    print(json.dumps({"messages": len(corpus), "seconds": total, "failures": failures, "errors": errors,
                      "cpu_ms_per_msg": cpu / max(1, len(corpus)) * 1000,
                      "p95_ms": timings[int(len(timings) * 0.95) - 1] * 1000 if timings else 0}))


if __name__ == "__main__":
    main()
