"""Files customers send on Telegram, Messenger and X: fetched after their message is stored.

`receive()` stores the message at once and records each file as a pending `RemoteAttachment`;
the task queue then calls `fetch()` for each, which asks the channel adapter's `fetch_file`
for the bytes (bot or page token), checks them with the one upload checker (sniffed type,
size, pixel limit: the unlock evidence rules) and stores the attachment, encrypted.

Guarantees: a file is stored at most once (the row is claimed with a lease, and the final
write happens only while it is still pending, under its row lock); a platform failure is
retried with back-off up to MAX_FETCH_ATTEMPTS; a refused file is not stored and the customer
is told why, on the same channel, in their language; a file that never arrives is reported
to the customer too. Every outcome is on the ticket's timeline.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from unlockdesk.safety import files
from unlockdesk.safety.files import FileRefused
from unlockdesk.tickets import attachments, hooks, queue
from unlockdesk.tickets.events import announce, record_event
from unlockdesk.tickets.exceptions import AttachmentRejected
from unlockdesk.tickets.models import (
    Delivery,
    Direction,
    EventKind,
    Message,
    RemoteAttachment,
    RemoteFileState,
    Ticket,
)
from unlockdesk.tickets.services.inbound import append_message
from unlockdesk.tickets.types import Channel, FetchedFile, FetchFailed, RemoteFile

MAX_FETCH_ATTEMPTS = 6
# Longer than any adapter's download timeout: a worker still fetching keeps the file to itself.
FETCH_LEASE = timedelta(minutes=2)
# A pending file this late past its due time has lost its task (broker down, worker killed):
# the sweep queues it again.
OVERDUE_AFTER = timedelta(minutes=5)


@dataclass(frozen=True)
class FetchOutcome:
    """What one `fetch()` did; `retryable`: the task should run again after `retry_delay`."""

    state: RemoteFileState
    retryable: bool = False
    error: str = ""


def retry_delay(attempts: int) -> timedelta:
    """Back-off after the `attempts`-th failure: 30 s, 60 s, 120 s ..."""
    return timedelta(seconds=30 * 2 ** max(attempts - 1, 0))


def fetch(remote_id: int) -> FetchOutcome:
    """Fetch, check and store one pending file. Safe to run again and at once: a finished file
    is left alone, and a file another worker holds the lease on is skipped."""
    now = timezone.now()
    claimed = (RemoteAttachment.objects.filter(pk=remote_id, state=RemoteFileState.PENDING)
               .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
               .update(lease_until=now + FETCH_LEASE))
    remote = RemoteAttachment.objects.select_related("message__ticket").get(pk=remote_id)
    if not claimed:
        return FetchOutcome(RemoteFileState(remote.state))
    ticket = remote.message.ticket
    try:  # a size the platform declared is refused before anything is downloaded
        with override(ticket.language):
            if remote.declared_size:
                files.check_size(remote.declared_size, limit=settings.UNLOCKDESK_ATTACHMENT_MAX_BYTES)
    except FileRefused as exc:
        return _refused(remote, exc)
    try:
        fetched = _download(remote)
    except FetchFailed as exc:
        return _failed(remote, exc)
    except Exception as exc:  # a provider failure must be recorded, then retried
        return _failed(remote, FetchFailed(str(exc)[:200] or type(exc).__name__))
    try:
        with override(ticket.language):  # the refusal is read by the customer, in their language
            checked = attachments.check(fetched.filename or remote.filename or "file", fetched.content)
    except AttachmentRejected as exc:
        return _refused(remote, exc)
    return _store(remote, checked)


def overdue_fetches(now: datetime | None = None, *, limit: int = 500) -> list[int]:
    """Pending files whose task was lost, oldest first; each is due again from now, so a slow
    worker gets one extra task per sweep at most."""
    now = now or timezone.now()
    cutoff = now - OVERDUE_AFTER
    with transaction.atomic():
        ids = list(
            RemoteAttachment.objects.filter(state=RemoteFileState.PENDING)
            .filter(Q(due_at__lt=cutoff) | Q(due_at__isnull=True, created_at__lt=cutoff))
            .exclude(lease_until__gt=now)
            .order_by("created_at").values_list("pk", flat=True)[:limit]
        )
        RemoteAttachment.objects.filter(pk__in=ids).update(due_at=now)
    return ids


def _download(remote: RemoteAttachment) -> FetchedFile:
    adapter = hooks.adapter_for(Channel(remote.message.channel))
    fetch_file = getattr(adapter, "fetch_file", None)
    if fetch_file is None:
        raise FetchFailed("channel cannot fetch files", retryable=False)
    fetched: FetchedFile = fetch_file(RemoteFile(remote.ref, remote.filename, remote.declared_type,
                                                 remote.declared_size))
    return fetched


def _finish(remote: RemoteAttachment, **fields: object) -> bool:
    """Write the final state only if the row is still pending (under its lock): True if so.
    Call inside a transaction, before anything else is written."""
    locked = RemoteAttachment.objects.select_for_update().get(pk=remote.pk)
    if locked.state != RemoteFileState.PENDING:
        return False
    RemoteAttachment.objects.filter(pk=remote.pk).update(lease_until=None, **fields)
    return True


def _store(remote: RemoteAttachment, checked: attachments.CheckedFile) -> FetchOutcome:
    message = remote.message
    with transaction.atomic():
        if not _finish(remote, state=RemoteFileState.STORED, attempts=remote.attempts + 1, error=""):
            return FetchOutcome(RemoteFileState.STORED)
        stored = attachments.store(message, checked)
        RemoteAttachment.objects.filter(pk=remote.pk).update(attachment=stored)
        record_event(message.ticket, EventKind.MESSAGE, actor="system", message=message.pk,
                     attachment=stored.pk, fetched=True)
    announce(message.ticket, "message", direction=message.direction)
    return FetchOutcome(RemoteFileState.STORED)


def _refused(remote: RemoteAttachment, exc: FileRefused) -> FetchOutcome:
    with transaction.atomic():
        if not _finish(remote, state=RemoteFileState.REFUSED, attempts=remote.attempts + 1,
                       error=exc.code):
            return FetchOutcome(RemoteFileState(remote.state))
        ticket = Ticket.objects.select_for_update().get(pk=remote.message.ticket_id)
        record_event(ticket, EventKind.FLAG, actor="system", message=remote.message_id,
                     attachment_rejected=f"{remote.filename or remote.pk}: {exc.code}")
        with override(ticket.language):
            name = remote.filename or _("your picture")
            text = _("We could not accept %(name)s: %(reason)s") % {"name": name, "reason": exc.message}
        _tell_customer(ticket, remote.message, text, topic="file_refused")
    return FetchOutcome(RemoteFileState.REFUSED, error=exc.code)


def _failed(remote: RemoteAttachment, exc: FetchFailed) -> FetchOutcome:
    attempts = remote.attempts + 1
    if exc.retryable and attempts < MAX_FETCH_ATTEMPTS:
        RemoteAttachment.objects.filter(pk=remote.pk, state=RemoteFileState.PENDING).update(
            attempts=attempts, error=exc.error[:255], lease_until=None,
            due_at=timezone.now() + retry_delay(attempts))
        return FetchOutcome(RemoteFileState.PENDING, retryable=True, error=exc.error)
    with transaction.atomic():
        if not _finish(remote, state=RemoteFileState.FAILED, attempts=attempts, error=exc.error[:255]):
            return FetchOutcome(RemoteFileState(remote.state))
        ticket = Ticket.objects.select_for_update().get(pk=remote.message.ticket_id)
        record_event(ticket, EventKind.FLAG, actor="system", message=remote.message_id,
                     attachment_failed=exc.error[:200])
        with override(ticket.language):
            text = _("We could not download the file you sent. Please send it again.")
        _tell_customer(ticket, remote.message, text, topic="file_failed")
    return FetchOutcome(RemoteFileState.FAILED, error=exc.error)


def _tell_customer(ticket: Ticket, about: Message, text: str, *, topic: str) -> None:
    """An automatic answer on the channel the file came by; the caller holds the ticket row."""
    notice = append_message(ticket, direction=Direction.OUTBOUND, channel=about.channel,
                            body_text=text, delivery=Delivery.PENDING, headers={"auto": topic})
    queue.deliver_after_commit(notice.pk)
    announce(ticket, "message", direction=notice.direction)
