"""IMAP polling: each message of each configured mailbox is taken into the desk once.

Per mailbox, `MailboxCursor` holds the highest UID already ingested (reset when the server's
UIDVALIDITY changes). For each new UID, in order: fetch without setting \\Seen, ingest (which
commits), advance the cursor, then mark \\Seen and, when configured, move the message to the
processed folder. A crash anywhere re-reads at most one message, which the pipeline reports as
a duplicate. Between polls the watcher waits in IMAP IDLE when the server offers it.
"""

import contextlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

from django.db import close_old_connections
from django.utils import timezone
from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError

from unlockdesk.intake.mail.ingest import IngestResult, ingest
from unlockdesk.intake.mail.models import MailboxCursor

log = logging.getLogger(__name__)

IDLE_SECONDS = 300  # re-issue IDLE well before servers drop it (RFC 2177: 29 min)
IDLE_CHECK_SECONDS = 1.0  # how quickly a stop request is noticed while idling
FETCH_BATCH = 50


@dataclass(frozen=True)
class Mailbox:
    host: str
    port: int
    ssl: bool
    username: str
    password: str
    folder: str = "INBOX"
    processed_folder: str = ""

    @property
    def key(self) -> str:
        """Names the mailbox in the cursor table (never the password)."""
        return f"{self.username}@{self.host}:{self.port}/{self.folder}"[:255]


def mailbox_from_url(url: str) -> Mailbox:
    """`imaps://user:password@host:993/INBOX?processed=Done` (imap:// for plain, port 143)."""
    parts = urlsplit(url)
    if parts.scheme not in ("imap", "imaps") or not parts.hostname or not parts.username:
        raise ValueError(f"not an imap[s]://user:password@host/folder URL: {parts.scheme}://{parts.hostname}")
    ssl = parts.scheme == "imaps"
    query = parse_qs(parts.query)
    return Mailbox(
        host=parts.hostname,
        port=parts.port or (993 if ssl else 143),
        ssl=ssl,
        username=unquote(parts.username),
        password=unquote(parts.password or ""),
        folder=unquote(parts.path.lstrip("/")) or "INBOX",
        processed_folder=query.get("processed", [""])[0],
    )


def connect(mailbox: Mailbox) -> IMAPClient:
    client = IMAPClient(mailbox.host, port=mailbox.port, ssl=mailbox.ssl, timeout=60)
    client.login(mailbox.username, mailbox.password)
    return client


def poll_once(client: IMAPClient, mailbox: Mailbox,
              report: Callable[[int, IngestResult], None] | None = None) -> list[IngestResult]:
    """Ingest every message newer than the cursor; returns the results in UID order."""
    selected = client.select_folder(mailbox.folder)
    uidvalidity = int(selected.get(b"UIDVALIDITY", 0))
    cursor, _created = MailboxCursor.objects.get_or_create(mailbox=mailbox.key)
    if cursor.uidvalidity != uidvalidity:
        cursor.uidvalidity, cursor.last_uid = uidvalidity, 0
        cursor.save(update_fields=["uidvalidity", "last_uid"])
    uids = sorted(uid for uid in client.search(["UID", f"{cursor.last_uid + 1}:*"])
                  if uid > cursor.last_uid)
    results: list[IngestResult] = []
    for start in range(0, len(uids), FETCH_BATCH):
        batch = uids[start:start + FETCH_BATCH]
        fetched = client.fetch(batch, [b"BODY.PEEK[]"])
        for uid in batch:
            raw = fetched.get(uid, {}).get(b"BODY[]", b"")
            result = ingest(bytes(raw), source="imap")
            MailboxCursor.objects.filter(pk=cursor.pk).update(last_uid=uid, updated_at=timezone.now())
            _file(client, mailbox, uid)
            results.append(result)
            if report:
                report(uid, result)
    return results


def _file(client: IMAPClient, mailbox: Mailbox, uid: int) -> None:
    client.add_flags([uid], [b"\\Seen"])
    if not mailbox.processed_folder:
        return
    if client.has_capability("MOVE"):
        client.move([uid], mailbox.processed_folder)
    else:
        client.copy([uid], mailbox.processed_folder)
        client.delete_messages([uid])
        client.expunge()


def watch(mailbox: Mailbox, stop: threading.Event, *, interval: float = 60.0,
          report: Callable[[int, IngestResult], None] | None = None) -> None:
    """Poll until `stop` is set: IDLE between polls where the server has it, else sleep."""
    while not stop.is_set():
        try:
            client = connect(mailbox)
            try:
                while not stop.is_set():
                    poll_once(client, mailbox, report)
                    close_old_connections()
                    _wait(client, stop, interval)
            finally:
                with contextlib.suppress(IMAPClientError, OSError):
                    client.logout()
        except Exception:  # a dead server or database must not end the watcher
            log.exception("IMAP %s failed; retrying in %.0f s", mailbox.key, interval)
            close_old_connections()
            stop.wait(interval)


def _wait(client: IMAPClient, stop: threading.Event, interval: float) -> None:
    if not client.has_capability("IDLE"):
        stop.wait(interval)
        return
    client.idle()
    try:
        waited = 0.0
        while not stop.is_set() and waited < IDLE_SECONDS:
            if client.idle_check(timeout=IDLE_CHECK_SECONDS):
                break
            waited += IDLE_CHECK_SECONDS
    finally:
        client.idle_done()
