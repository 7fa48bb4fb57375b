"""Evidence files: add, replace, remove (customer) and the audited record of every view.

Files are written through the default storage, which encrypts them with keys outside the
database. A refused file (uploads.accept) writes nothing; a failure after the files were
written removes them again, so no orphan stays on disk.
"""

import uuid
from datetime import datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from unlockdesk.safety import audit
from unlockdesk.unlock.exceptions import ApplicationNotEditable
from unlockdesk.unlock.models import Evidence, UnlockApplication
from unlockdesk.unlock.services.status import locked
from unlockdesk.unlock.types import (
    MAX_FILES_PER_KIND,
    SINGLE_KINDS,
    ApplicationStatus,
    DecisionKind,
    EvidenceKind,
)
from unlockdesk.unlock.uploads import EvidenceRejected, accept


def _may_upload(application: UnlockApplication, kind: str) -> None:
    """Drafts take files once step 1 has opened the ticket: the handheld note carries its
    number, and evidence on a draft without a ticket would never reach the retention purge
    (which follows the ticket's closing)."""
    if application.status == ApplicationStatus.DRAFT:
        if application.ticket_id is None:
            raise ApplicationNotEditable(
                _("Please complete step 1 (account and identity) before adding files."))
        return
    if application.status == ApplicationStatus.NEEDS_INFO and kind in application.redo_kinds:
        return
    raise ApplicationNotEditable(_("This item cannot be changed now."))


def add_evidence(application: UnlockApplication, *, kind: str, filename: str, content: bytes,
                 actor: str) -> Evidence:
    """Store one accepted file; for single-file kinds (ID front/back, handheld) it replaces the
    current one, which is kept (superseded) for the reviewer until the retention purge."""
    if kind not in EvidenceKind.values:
        raise EvidenceRejected("kind", _("Unknown kind of material."))
    _may_upload(application, kind)
    accepted = accept(filename, content)
    evidence = Evidence(kind=kind, content_type=accepted.content_type, size=len(accepted.content),
                        width=accepted.width, height=accepted.height, sha256=accepted.sha256,
                        fingerprint=accepted.fingerprint, original_name=accepted.safe_name)
    name = uuid.uuid4().hex
    evidence.file.save(name, ContentFile(accepted.content), save=False)
    if accepted.preview is not None:
        evidence.preview.save(f"{name}-preview", ContentFile(accepted.preview), save=False)
    try:
        with transaction.atomic():
            app = locked(application.pk)
            _may_upload(app, kind)
            current = Evidence.objects.filter(application=app, kind=kind, superseded_at__isnull=True,
                                              purged_at__isnull=True)
            now = timezone.now()
            if app.status == ApplicationStatus.NEEDS_INFO:
                # Redoing an item replaces what the reviewer asked about, not what is added now.
                asked = _redo_requested_at(app) or now
                current.filter(uploaded_at__lt=asked).update(superseded_at=now)
            if kind in SINGLE_KINDS:
                current.update(superseded_at=now)
            elif current.count() >= MAX_FILES_PER_KIND:
                raise EvidenceRejected("too_many", _("At most %(n)d files of this kind.")
                                       % {"n": MAX_FILES_PER_KIND})
            evidence.application = app
            evidence.uploaded_at = now
            evidence.save()
            if app.status == ApplicationStatus.NEEDS_INFO:
                app.mark_redone(kind)
            app.updated_at = now
            app.save(update_fields=["redo_items", "updated_at"])
            audit.record(actor=actor, action="evidence.upload", target=f"evidence:{evidence.pk}",
                         application=app.pk, kind=kind, sha256=accepted.sha256[:16])
    except Exception:
        _delete_files(evidence)
        raise
    return evidence


def remove_evidence(evidence: Evidence, *, actor: str) -> None:
    """The customer takes a file back before submitting (or one added while redoing that item)."""
    with transaction.atomic():
        app = locked(evidence.application_id)
        _may_upload(app, evidence.kind)
        if app.status == ApplicationStatus.NEEDS_INFO:
            asked = _redo_requested_at(app)
            if asked is None or evidence.uploaded_at < asked:
                raise ApplicationNotEditable(_("This item cannot be changed now."))
        audit.record(actor=actor, action="evidence.remove", target=f"evidence:{evidence.pk}",
                     application=app.pk, kind=evidence.kind)
        evidence.delete()
        if app.status == ApplicationStatus.NEEDS_INFO:
            asked = _redo_requested_at(app)
            still = Evidence.objects.filter(application=app, kind=evidence.kind, superseded_at__isnull=True,
                                            uploaded_at__gte=asked).exists()
            app.mark_redone(evidence.kind, still)
            app.save(update_fields=["redo_items"])
        transaction.on_commit(lambda: _delete_files(evidence))


def _redo_requested_at(app: UnlockApplication) -> datetime | None:
    """When the items were last asked for: a reviewer's decision, or the automated checks
    (`requested_at` in the redo items)."""
    decided = (app.decisions.filter(kind=DecisionKind.REQUEST_INFO).order_by("-created_at")
               .values_list("created_at", flat=True).first())
    automatic = [datetime.fromisoformat(item["requested_at"]) for item in app.redo_items
                 if item.get("requested_at")]
    return max([moment for moment in (decided, *automatic) if moment is not None], default=None)


def record_view(evidence: Evidence, *, actor: str, form: str) -> None:
    """Every time anyone is shown an evidence file (original or preview), audited."""
    audit.record(actor=actor, action="evidence.view", target=f"evidence:{evidence.pk}",
                 application=evidence.application_id, kind=evidence.kind, form=form)


def record_review_page_view(application_pk: int, *, actor: str, evidence: list[Evidence]) -> None:
    """One entry for the review screen showing these files; the pictures it embeds are then
    fetched under that entry (see unlock.views.files) instead of one entry each."""
    audit.record(actor=actor, action="evidence.view", target=f"application:{application_pk}",
                 form="review_page", evidence=[e.pk for e in evidence],
                 kinds=sorted({str(e.kind) for e in evidence}))


def _delete_files(evidence: Evidence) -> None:
    for field_file in (evidence.file, evidence.preview):
        if field_file and field_file.name:
            field_file.storage.delete(field_file.name)
