"""Streaming evidence: only after the caller's permission check, always audited, never cached.

The review screen records one audit entry for the pictures it shows and embeds each with a
short-lived token bound to the reviewer and the file; a fetch carrying it belongs to that
entry. Any other fetch (opening the original in a tab, a download) is audited on its own.
"""

from django.core import signing
from django.http import HttpResponse

from unlockdesk.unlock.models import Evidence
from unlockdesk.unlock.services import record_view
from unlockdesk.unlock.uploads import BROWSER_IMAGE_TYPES

INLINE_TYPES = BROWSER_IMAGE_TYPES | {"application/pdf"}


_EMBED_SALT = "unlock.review-embed"
EMBED_SECONDS = 600


def embed_token(evidence_pk: int, viewer_pk: int) -> str:
    return signing.TimestampSigner(salt=_EMBED_SALT).sign(f"{viewer_pk}:{evidence_pk}")


def is_embedded(token: str, evidence_pk: int, viewer_pk: int) -> bool:
    """True for a token the review page issued to this viewer for this file, still fresh."""
    try:
        value = signing.TimestampSigner(salt=_EMBED_SALT).unsign(token, max_age=EMBED_SECONDS)
    except signing.BadSignature:
        return False
    return value == f"{viewer_pk}:{evidence_pk}"


def evidence_response(evidence: Evidence, *, actor: str, original: bool,
                      audited_by_page: bool = False) -> HttpResponse:
    """The original (reviewers) or the metadata-free preview (anyone allowed); audited first,
    unless the review page that embeds it has already recorded the view (`audited_by_page`)."""
    field_file = evidence.file if original or not evidence.preview else evidence.preview
    content_type = evidence.content_type if field_file is evidence.file else "image/jpeg"
    if not audited_by_page:
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
