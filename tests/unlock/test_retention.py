"""Evidence is purged once the ticket has been closed for the retention period, and not before."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.test import TestCase
from django.utils import timezone

from tests.unlock.builders import customer_for, filled_draft, locked_account, submitted
from unlockdesk.safety.models import AuditEntry
from unlockdesk.tickets.models import Status, Ticket
from unlockdesk.unlock import services, tasks
from unlockdesk.unlock.models import UnlockApplication

pytestmark = pytest.mark.django_db


def _close(application: UnlockApplication, *, days_ago: int) -> None:
    Ticket.objects.filter(pk=application.ticket_id).update(
        status=Status.CLOSED, resolved_at=timezone.now() - timedelta(days=days_ago))


def _files_on_disk() -> list[Path]:
    root = Path(settings.UNLOCKDESK_PRIVATE_FILES) / "evidence"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _application(email: str) -> UnlockApplication:
    locked_account(email=email)
    return submitted(customer_for(email))


def test_evidence_of_a_ticket_closed_past_retention_is_purged(settings) -> None:  # type: ignore[no-untyped-def]
    settings.UNLOCKDESK_EVIDENCE_RETENTION_DAYS = 30
    application = _application("old@example.com")
    fingerprints = set(application.evidence.values_list("fingerprint", flat=True))
    assert _files_on_disk()
    _close(application, days_ago=31)
    with TestCase.captureOnCommitCallbacks(execute=True):
        purged = tasks.purge_expired_evidence()
    assert purged == 3
    application.refresh_from_db()
    assert application.purged_at and application.id_number == "" and application.kyc_name == ""
    assert application.id_number_masked and application.id_number_hash, "the record still reads"
    assert _files_on_disk() == []
    assert set(application.evidence.values_list("fingerprint", flat=True)) == fingerprints
    assert all(not e.file for e in application.evidence.all())
    assert AuditEntry.objects.filter(action="evidence.purge", target=f"application:{application.pk}").exists()


def test_evidence_is_kept_while_the_ticket_is_open_or_recently_closed(settings) -> None:  # type: ignore[no-untyped-def]
    settings.UNLOCKDESK_EVIDENCE_RETENTION_DAYS = 30
    open_case = _application("open@example.com")
    recent = _application("recent@example.com")
    _close(recent, days_ago=5)
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert tasks.purge_expired_evidence() == 0
    assert len(_files_on_disk()) == 12, "3 originals and 3 previews per application"
    for application in (open_case, recent):
        application.refresh_from_db()
        assert application.purged_at is None


def test_purging_twice_changes_nothing_more(settings) -> None:  # type: ignore[no-untyped-def]
    settings.UNLOCKDESK_EVIDENCE_RETENTION_DAYS = 1
    application = _application("twice@example.com")
    _close(application, days_ago=2)
    with TestCase.captureOnCommitCallbacks(execute=True):
        tasks.purge_expired_evidence()
    assert tasks.purge_expired_evidence() == 0
    assert AuditEntry.objects.filter(action="evidence.purge").count() == 1


def test_purge_also_removes_the_typed_transactions_and_notes(settings) -> None:  # type: ignore[no-untyped-def]
    from unlockdesk.unlock import services

    settings.UNLOCKDESK_EVIDENCE_RETENTION_DAYS = 30
    locked_account(email="typed@example.com")
    customer = customer_for("typed@example.com")
    draft = filled_draft(customer)
    services.save_transactions_step(draft, rows=[{"tx_id": "0x9f3ca71e", "kind": "withdrawal",
                                                  "amount": "1250", "counterparty": "TQ7x9kPz"}])
    services.save_other_step(draft, notes="OTC chat with buyer Li, WeChat li_otc_88")
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.submit(draft, actor=customer.actor)
    _close(draft, days_ago=31)
    with TestCase.captureOnCommitCallbacks(execute=True):
        tasks.purge_expired_evidence()
    draft.refresh_from_db()
    assert draft.transactions == [] and draft.other_notes == "" and draft.error_message == ""
    assert draft.lock_reason and draft.blocked, "what the decision was about still reads"


def test_a_customer_whose_ticket_was_closed_mid_application_can_start_again(settings) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import make_agent
    from unlockdesk.staff.models import Role
    from unlockdesk.unlock import services

    settings.UNLOCKDESK_EVIDENCE_RETENTION_DAYS = 30
    application = _application("paused@example.com")
    services.request_info(application, reviewer=make_agent(role=Role.REVIEWER), items=["handheld"],
                          reasons=[])
    _close(application, days_ago=31)
    with TestCase.captureOnCommitCallbacks(execute=True):
        tasks.purge_expired_evidence()
    fresh = services.start_or_resume(customer_for("paused@example.com"))
    assert fresh.pk != application.pk and fresh.status == "draft"


def test_retention_counts_from_when_an_agent_closes_the_ticket(settings) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import make_agent
    from unlockdesk.tickets.services import workflow
    from unlockdesk.unlock import services

    settings.UNLOCKDESK_EVIDENCE_RETENTION_DAYS = 30
    application = _application("closed-by-agent@example.com")
    agent = make_agent()
    workflow.change_status(application.ticket, Status.RESOLVED, by=agent)
    workflow.change_status(application.ticket, Status.CLOSED, by=agent)
    later = timezone.now()
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert services.purge_expired_evidence(later + timedelta(days=29)) == 0
        assert services.purge_expired_evidence(later + timedelta(days=31)) == 3
    assert _files_on_disk() == []


def test_a_draft_abandoned_past_the_draft_retention_loses_its_files(settings) -> None:  # type: ignore[no-untyped-def]
    settings.UNLOCKDESK_DRAFT_RETENTION_DAYS = 30
    locked_account(email="gone@example.com")
    customer = customer_for("gone@example.com")
    abandoned = filled_draft(customer)
    locked_account(email="busy@example.com")
    recent = filled_draft(customer_for("busy@example.com"))
    UnlockApplication.objects.filter(pk=abandoned.pk).update(updated_at=timezone.now() - timedelta(days=31))
    UnlockApplication.objects.filter(pk=recent.pk).update(updated_at=timezone.now() - timedelta(days=29))
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert tasks.purge_expired_evidence() == 3
    abandoned.refresh_from_db()
    recent.refresh_from_db()
    assert abandoned.purged_at and abandoned.id_number == "" and recent.purged_at is None
    assert len(_files_on_disk()) == 6, "only the recent draft's 3 originals and 3 previews remain"
    entry = AuditEntry.objects.get(action="evidence.purge", target=f"application:{abandoned.pk}")
    assert entry.details["why"] == "draft_abandoned" and entry.details["retention_days"] == 30
    fresh = services.start_or_resume(customer)
    assert fresh.pk != abandoned.pk and fresh.status == "draft", "the customer starts again"


def test_a_submitted_application_is_not_a_draft_however_old(settings) -> None:  # type: ignore[no-untyped-def]
    settings.UNLOCKDESK_DRAFT_RETENTION_DAYS = 30
    application = _application("slow-review@example.com")
    UnlockApplication.objects.filter(pk=application.pk).update(updated_at=timezone.now() - timedelta(days=90))
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert tasks.purge_expired_evidence() == 0
    application.refresh_from_db()
    assert application.purged_at is None
