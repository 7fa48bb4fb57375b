"""A worker process killed (SIGKILL) half-way through a message leaves nothing behind, and
the retry by another process stores everything exactly once.

The worker is a real process on the same database as the test (PostgreSQL's test database, or
a copy of SQLite's in-memory one in a file): it stores the first of two attachments, then
hangs inside the pipeline's transaction until the test kills it.
"""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.intake.mailfactory import mail
from tests.intake.servers import count_rows, process_env, shared_database_url
from unlockdesk.intake.mail.models import OriginalMail
from unlockdesk.tickets.models import Attachment, Contact, Message, Ticket, TicketEvent

pytestmark = pytest.mark.django_db(transaction=True)

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
       b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99"
       b"=\x1d\x00\x00\x00\x00IEND\xaeB`\x82")

HANGS_AFTER_FIRST_ATTACHMENT = """
import os, sys, time
import django
django.setup()
from unlockdesk.intake.mail.ingest import ingest
from unlockdesk.tickets import attachments
real_store = attachments.store
def store_then_hang(*args, **kwargs):
    stored = real_store(*args, **kwargs)
    open(os.environ["UD_TEST_MARK"], "w").close()
    time.sleep(120)
    return stored
attachments.store = store_then_hang
ingest(sys.stdin.buffer.read())
"""

COUNTED = (Ticket, Message, Attachment, TicketEvent, Contact, OriginalMail)


def _ingest_command(path: Path, env: dict[str, str]) -> list[dict[str, object]]:
    """`unlockdesk ingest-email FILE FILE` in a process of its own: the retry, then a redelivery."""
    command = [str(Path(sys.executable).with_name("unlockdesk")), "ingest-email", str(path), str(path)]
    done = subprocess.run(command, env=env, capture_output=True, check=True, text=True)
    return [json.loads(line) for line in done.stdout.strip().splitlines()]


def test_worker_killed_half_way_leaves_nothing_and_the_retry_stores_everything(tmp_path: Path) -> None:
    env = process_env(tmp_path, shared_database_url(tmp_path), UD_TEST_MARK=str(tmp_path / "half-way"))
    empty = count_rows(env["DATABASE_URL"], *COUNTED)
    raw = mail(message_id="<killed-half-way@example.com>",
               attachments=(("id-front.png", PNG, "image/png"), ("id-back.png", PNG + b"\x00", "image/png")))
    worker = subprocess.Popen([sys.executable, "-c", HANGS_AFTER_FIRST_ATTACHMENT], stdin=subprocess.PIPE,
                              env=env)
    assert worker.stdin is not None
    worker.stdin.write(raw)
    worker.stdin.close()
    deadline = time.monotonic() + 60
    while not (tmp_path / "half-way").exists():
        assert worker.poll() is None, "the worker ended before it was half-way"
        assert time.monotonic() < deadline, "the worker never got half-way"
        time.sleep(0.05)
    os.kill(worker.pid, signal.SIGKILL)
    assert worker.wait(timeout=10) == -signal.SIGKILL

    assert count_rows(env["DATABASE_URL"], *COUNTED) == empty

    (tmp_path / "mail.eml").write_bytes(raw)
    retry, redelivery = _ingest_command(tmp_path / "mail.eml", env)
    assert (retry["status"], retry["acknowledged"]) == ("created", True)
    assert (redelivery["status"], redelivery["ticket"]) == ("duplicate", retry["ticket"])
    stored = count_rows(env["DATABASE_URL"], *COUNTED)
    assert (stored["Ticket"], stored["Attachment"], stored["OriginalMail"]) == (1, 2, 1)
    assert stored["Message"] == 2  # the customer's mail and the acknowledgement
