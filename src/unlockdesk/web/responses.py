"""Serving private files: only after a permission check, always audited, never cached."""

from django.http import HttpResponse

from unlockdesk.safety import audit
from unlockdesk.tickets.models import Attachment

INLINE_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp", "application/pdf"}


def private_file_response(item: Attachment, *, actor: str) -> HttpResponse:
    audit.record(actor=actor, action="attachment.view", target=f"attachment:{item.pk}",
                 ticket=item.message.ticket.number)
    with item.file.open("rb") as handle:
        data = handle.read()
    disposition = "inline" if item.content_type in INLINE_TYPES else "attachment"
    response = HttpResponse(data, content_type=item.content_type)
    response["Content-Disposition"] = f'{disposition}; filename="attachment-{item.pk}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response
