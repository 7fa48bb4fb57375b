"""`unlockdesk poll-imap [--once] [--interval S] [--mailbox URL ...]`: read IMAP mailboxes.

Mailboxes come from --mailbox or UNLOCKDESK_IMAP_MAILBOXES (imaps://user:password@host/INBOX
?processed=Done). Without --once, one watcher per mailbox runs until stopped, waiting in IDLE
where the server has it. Prints one JSON line per message, like ingest-email.
"""

import json
import signal
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from unlockdesk import warmup
from unlockdesk.intake.mail import imap
from unlockdesk.intake.mail.ingest import IngestResult


class Command(BaseCommand):
    help = "Take new mail from IMAP mailboxes into the desk (once, or watching with IDLE)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--mailbox", action="append", default=[], help="imap[s]:// URL")
        parser.add_argument("--once", action="store_true", help="poll each mailbox once and exit")
        parser.add_argument("--interval", type=float, default=60.0,
                            help="seconds between polls when the server has no IDLE")

    def handle(self, *args: Any, **options: Any) -> None:
        urls = options["mailbox"] or settings.UNLOCKDESK_IMAP_MAILBOXES
        if not urls:
            raise CommandError("no mailbox: pass --mailbox or set UNLOCKDESK_IMAP_MAILBOXES")
        try:
            mailboxes = [imap.mailbox_from_url(url) for url in urls]
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        lock = threading.Lock()

        def report(mailbox: imap.Mailbox) -> Any:
            def write(uid: int, result: IngestResult) -> None:
                with lock:
                    line = {"file": f"{mailbox.key}#{uid}", **result.as_dict()}
                    self.stdout.write(json.dumps(line, ensure_ascii=False))
            return write

        if options["once"]:
            for mailbox in mailboxes:
                client = imap.connect(mailbox)
                try:
                    imap.poll_once(client, mailbox, report(mailbox))
                finally:
                    client.logout()
            return
        warmup.warm()  # a watcher runs for days: load before the first message, once
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        threads = [threading.Thread(target=imap.watch, args=(m, stop),
                                    kwargs={"interval": options["interval"], "report": report(m)},
                                    name=f"imap-{m.key}", daemon=True) for m in mailboxes]
        for thread in threads:
            thread.start()
        stop.wait()
        for thread in threads:
            thread.join(timeout=10)
