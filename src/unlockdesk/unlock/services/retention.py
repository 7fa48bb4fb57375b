"""Purging evidence once its ticket has been closed for the retention period, and of drafts
abandoned before they were ever submitted.

What is deleted: every evidence file and preview, the applicant's typed KYC name and ID
number (the keyed hashes and masked forms stay, so the decision record still reads), and the
other materials typed into the wizard: transaction IDs with amounts and counterparties, the
error message and the free-text notes. What stays: the lock reason and what was blocked,
the rows with sha256 and the difference-hash fingerprint (to spot an image reused in a later
application), decisions, check results and the audit trail.
"""

from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from unlockdesk.safety import audit
from unlockdesk.tickets.models import Status
from unlockdesk.unlock.models import Evidence, UnlockApplication
from unlockdesk.unlock.services.evidence import _delete_files
from unlockdesk.unlock.types import ApplicationStatus


def purge_due(now: datetime | None = None) -> list[int]:
    """Ids of applications whose ticket was closed more than the retention period ago."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.UNLOCKDESK_EVIDENCE_RETENTION_DAYS)
    return list(
        UnlockApplication.objects.filter(
            purged_at__isnull=True, ticket__status=Status.CLOSED, ticket__resolved_at__lte=cutoff,
        ).values_list("pk", flat=True)
    )


def abandoned_drafts(now: datetime | None = None) -> list[int]:
    """Ids of drafts (never submitted) nobody changed for the draft retention period."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.UNLOCKDESK_DRAFT_RETENTION_DAYS)
    return list(
        UnlockApplication.objects.filter(
            purged_at__isnull=True, status=ApplicationStatus.DRAFT, updated_at__lte=cutoff,
        ).values_list("pk", flat=True)
    )


def purge_application(application_id: int, *, actor: str = "system:retention", why: str = "ticket_closed"
                      ) -> int:
    """Delete one application's files and typed PII; returns the number of files purged.

    Idempotent: a purged application is skipped. Files are deleted after the rows commit,
    so a rollback never leaves rows pointing at deleted files.
    """
    now = timezone.now()
    with transaction.atomic():
        app = UnlockApplication.objects.select_for_update().filter(pk=application_id,
                                                                   purged_at__isnull=True).first()
        if app is None:
            return 0
        items = list(Evidence.objects.filter(application=app, purged_at__isnull=True))
        for item in items:
            transaction.on_commit(partial(_delete_files, item))
        Evidence.objects.filter(pk__in=[i.pk for i in items]).update(purged_at=now, file="", preview="")
        app.kyc_name = ""
        app.id_number = ""
        app.transactions = []
        app.error_message = ""
        app.other_notes = ""
        app.purged_at = now
        app.save(update_fields=["kyc_name", "id_number", "transactions", "error_message", "other_notes",
                                "purged_at"])
        days = (settings.UNLOCKDESK_DRAFT_RETENTION_DAYS if why == "draft_abandoned"
                else settings.UNLOCKDESK_EVIDENCE_RETENTION_DAYS)
        audit.record(actor=actor, action="evidence.purge", target=f"application:{app.pk}",
                     files=len(items), why=why, retention_days=days)
    return len(items)


def purge_expired_evidence(now: datetime | None = None) -> int:
    """Purge every application that is due; returns the number of files purged."""
    closed = sum(purge_application(pk) for pk in purge_due(now))
    return closed + sum(purge_application(pk, why="draft_abandoned") for pk in abandoned_drafts(now))
