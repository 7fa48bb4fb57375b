"""The built-in SMTP (or LMTP) listener: mail handed over by an MTA goes straight into the desk.

Meant to sit behind the exchange's MX (Postfix `relay_transport`/`lmtp:` or a smarthost) on a
private address. It accepts recipients in UNLOCKDESK_INBOUND_DOMAINS only, and answers DATA
only after the message has committed: 250 when stored, ignored or a duplicate, 550 when
malformed (the sender's MTA bounces with the reason), 451 on a temporary failure so the MTA
retries, which the pipeline's idempotency makes safe.
"""

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.lmtp import LMTP
from aiosmtpd.smtp import SMTP, Envelope, Session
from django.conf import settings
from django.db import close_old_connections

from unlockdesk.intake.mail.ingest import IngestResult, ingest

log = logging.getLogger(__name__)


def _ingest_in_worker(raw: bytes) -> IngestResult:
    close_old_connections()
    try:
        return ingest(raw, source="smtp")
    finally:
        close_old_connections()


class DeskHandler:
    """aiosmtpd handler: RCPT filter and DATA -> ingest (in a worker thread: the ORM is sync)."""

    def __init__(self, *, lmtp: bool = False, workers: int = 4) -> None:
        self.lmtp = lmtp
        self.executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="smtpd-ingest")

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope, address: str,
                          rcpt_options: list[str]) -> str:
        domain = address.rpartition("@")[2].lower()
        if domain not in settings.UNLOCKDESK_INBOUND_DOMAINS:
            return "550 5.1.1 no such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or envelope.content or b""
        data = raw if isinstance(raw, bytes) else raw.encode("utf-8", "surrogateescape")
        if envelope.mail_from == "<>":
            # Final delivery records the null reverse-path (RFC 5321 4.4): bounces and other
            # mail sent with MAIL FROM:<> are then never answered, whatever their headers say.
            data = b"Return-Path: <>\r\n" + data
        loop = asyncio.get_running_loop()
        try:
            result = await loop.run_in_executor(self.executor, _ingest_in_worker, data)
        except Exception:  # the database or storage is down: the MTA keeps it and retries
            log.exception("smtpd: could not ingest a message")
            status = "451 4.3.0 temporary failure, try again later"
        else:
            if result.status == "rejected":
                status = f"550 5.6.0 {result.reason}"[:200]
            else:
                status = f"250 2.0.0 {result.status} {result.ticket or ''}".strip()
        if self.lmtp:
            return "\r\n".join([status] * max(1, len(envelope.rcpt_tos)))
        return status


class DeskController(Controller):
    """aiosmtpd's threaded controller, speaking LMTP instead of SMTP when asked."""

    def __init__(self, handler: DeskHandler, hostname: str, port: int, **kwargs: Any) -> None:
        self.lmtp = handler.lmtp
        super().__init__(handler, hostname=hostname, port=port,
                         data_size_limit=settings.UNLOCKDESK_EMAIL_MAX_BYTES,
                         decode_data=False, ident="Unlockdesk", **kwargs)

    def factory(self) -> SMTP:
        if self.lmtp:
            return LMTP(self.handler, **self.SMTP_kwargs)
        return super().factory()


def start(host: str, port: int, *, lmtp: bool = False) -> DeskController:
    """Start listening in a background thread; call `.stop()` on the result to end."""
    controller = DeskController(DeskHandler(lmtp=lmtp), hostname=host, port=port)
    controller.start()
    return controller
