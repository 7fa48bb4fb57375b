"""The pending rows of files still on a platform, written inside receive()'s transaction; the
fetch itself is `tickets.services.remote_files.fetch`, on the task queue once the message commits."""

from collections.abc import Sequence

from unlockdesk.tickets import queue
from unlockdesk.tickets.models import Message, RemoteAttachment
from unlockdesk.tickets.types import RemoteFile

# At most this many files per message are fetched (an album of ten photos is the usual most).
MAX_FILES_PER_MESSAGE = 10


def record_remote_files(message: Message, files: Sequence[RemoteFile]) -> list[int]:
    """Inside receive()'s transaction: the pending rows, each fetched once the message commits."""
    seen: set[str] = set()
    pks: list[int] = []
    for item in files[:MAX_FILES_PER_MESSAGE]:
        if item.ref in seen:
            continue
        seen.add(item.ref)
        row = RemoteAttachment.objects.create(
            message=message, ref=item.ref[:1000], filename=item.filename[:255],
            declared_type=item.declared_type[:100], declared_size=max(item.declared_size, 0))
        queue.fetch_after_commit(row.pk)
        pks.append(row.pk)
    return pks
