"""Streaming evidence: only after the caller's permission check, always audited, never cached."""

from django.http import HttpResponse

from unlockdesk.unlock.models import Evidence
from unlockdesk.unlock.services import record_view
from unlockdesk.unlock.uploads import BROWSER_IMAGE_TYPES

INLINE_TYPES = BROWSER_IMAGE_TYPES | {"application/pdf"}


def evidence_response(evidence: Evidence, *, actor: str, original: bool) -> HttpResponse:
    """The original (reviewers) or the metadata-free preview (anyone allowed); audited first."""
    field_file = evidence.file if original or not evidence.preview else evidence.preview
    content_type = evidence.content_type if field_file is evidence.file else "image/jpeg"
    record_view(evidence, actor=actor, form="original" if field_file is evidence.file else "preview")
    with field_file.open("rb") as handle:
        data = handle.read()
    response = HttpResponse(data, content_type=content_type)
    disposition = "inline" if content_type in INLINE_TYPES else "attachment"
    extension = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}.get(content_type, "bin")
    response["Content-Disposition"] = f'{disposition}; filename="evidence-{evidence.pk}.{extension}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
