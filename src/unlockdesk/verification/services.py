"""run_checks: run every registered check on one application and store the results.

Atomic replace: the previous results of the application are deleted and the new ones written
in one transaction, so readers see either the old set or the new one, never a mix. Checks
only read; a check that raises is stored as NOT_AVAILABLE / `check_error` and the rest still
run.
"""

import logging
import uuid

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from unlockdesk.unlock.models import Evidence, UnlockApplication
from unlockdesk.verification.checks import analysis
from unlockdesk.verification.models import CheckResult
from unlockdesk.verification.registry import registered
from unlockdesk.verification.types import CheckContext, NoteExpectation, Result, Status

log = logging.getLogger(__name__)


def build_context(application: UnlockApplication) -> CheckContext:
    """The context checks see: current (not superseded, not purged) evidence only."""
    evidence = tuple(
        Evidence.objects.filter(application=application, superseded_at__isnull=True,
                                purged_at__isnull=True).order_by("kind", "uploaded_at")
    )
    moment = application.submitted_at or timezone.now()
    note = NoteExpectation(
        phrase=settings.BRAND.note_phrase,
        date=timezone.localdate(moment),
        ticket_number=application.ticket.number if application.ticket else "",
    )
    return CheckContext(application=application, evidence=evidence, account=application.account,
                        note=note)


def _run_one(name: str, context: CheckContext) -> list[Result]:
    check = registered()[name]
    try:
        return list(check(context))
    except Exception:  # one broken check must not hide the others; the reviewer sees it
        log.exception("check %s failed on application %s", name, context.application.pk)
        return [Result(check=name, status=Status.NOT_AVAILABLE, reason_code="check_error",
                       message_zh="自动检查暂时不可用，将由人工审核。",
                       message_en="This automatic check is not available; a person will review.",
                       detail="the check raised an exception; see the server log")]


def run_checks(application_id: int) -> list[CheckResult]:
    """Run every registered check and replace the application's stored results atomically."""
    application = UnlockApplication.objects.select_related("account", "ticket").get(pk=application_id)
    context = build_context(application)
    results: list[Result] = []
    try:
        for name in registered():
            results.extend(_run_one(name, context))
    finally:
        analysis.forget()
    valid_ids = {item.pk for item in context.evidence}
    run_id = uuid.uuid4().hex
    rows = [
        CheckResult(
            application=application,
            evidence_id=r.evidence_id if r.evidence_id in valid_ids else None,
            check_name=r.check[:48],
            status=r.status,
            reason_code=r.reason_code[:48],
            message_zh=r.message_zh,
            message_en=r.message_en,
            detail=r.detail,
            region=r.region.as_dict() if r.region else None,
            run_id=run_id,
        )
        for r in results
    ]
    with transaction.atomic():
        UnlockApplication.objects.select_for_update().filter(pk=application.pk).first()
        CheckResult.objects.filter(application=application).delete()
        CheckResult.objects.bulk_create(rows)
    return rows
