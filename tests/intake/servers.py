"""Local mail servers for the email tests: a capturing SMTP sink, free loopback ports, and the
test's database opened to other processes (the desk's commands run as real processes)."""

import os
import socket
import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from django.db import connection
from django.db.models import Model


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Sink:
    """Keeps every message the desk sends, as parsed email."""

    received: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        self.received.append(message_from_bytes(raw, policy=policy.default))  # type: ignore[arg-type]
        return "250 OK"


def start_sink() -> tuple[Sink, Controller]:
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    return sink, controller


def shared_database_url(folder: Path) -> str:
    """A DATABASE_URL other processes can open on the data this test sees (call it inside a
    `transaction=True` test): PostgreSQL's test database itself, or for SQLite, whose test
    database lives in memory, a copy of it in a file (read it back with `count_rows`)."""
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        auth = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
        host = f"{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
        return f"postgres://{auth}@{host}/{settings['NAME']}"
    copy = folder / "shared.sqlite3"
    connection.ensure_connection()
    with closing(sqlite3.connect(copy)) as target:
        connection.connection.backup(target)
    return f"sqlite:///{copy}"


def count_rows(database_url: str, *models: type[Model]) -> dict[str, int]:
    """Committed rows per model in the database `shared_database_url` gave."""
    if database_url.startswith("sqlite:///"):
        with closing(sqlite3.connect(database_url.removeprefix("sqlite:///"))) as db:
            return {model.__name__: db.execute(
                f"SELECT COUNT(*) FROM {model._meta.db_table}").fetchone()[0]  # noqa: S608
                for model in models}
    return {model.__name__: model.objects.count() for model in models}


def process_env(folder: Path, database_url: str, **extra: str) -> dict[str, str]:
    """The environment for one of the desk's commands run against `database_url`."""
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "unlockdesk.settings",
           "UNLOCKDESK_DATA_DIR": str(folder), "UNLOCKDESK_TASKS_EAGER": "1",
           "UNLOCKDESK_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend", **extra}
    env.pop("UNLOCKDESK_TEST_DB_NAME", None)
    return env
