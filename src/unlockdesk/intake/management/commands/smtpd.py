"""`unlockdesk smtpd --host 127.0.0.1 --port 2525 [--lmtp]`: the built-in SMTP/LMTP listener."""

import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from unlockdesk import warmup
from unlockdesk.intake.mail import smtpd


class Command(BaseCommand):
    help = "Receive mail over SMTP (or LMTP) and take it into the desk until stopped."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=2525)
        parser.add_argument("--lmtp", action="store_true", help="speak LMTP (for Postfix lmtp:)")

    def handle(self, *args: Any, **options: Any) -> None:
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        warmup.warm()  # before the first message, not while the MTA waits for its answer
        controller = smtpd.start(options["host"], options["port"], lmtp=options["lmtp"])
        protocol = "LMTP" if options["lmtp"] else "SMTP"
        self.stdout.write(f"{protocol} listening on {options['host']}:{options['port']}", ending="\n")
        self.stdout.flush()
        try:
            stop.wait()
        finally:
            controller.stop()
