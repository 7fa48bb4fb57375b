"""Submitting an application (first time or after "needs more information") and the automatic
steps that follow: checks run on the queue, then the application waits for a reviewer.
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from unlockdesk.accounts.models import AccountLock
from unlockdesk.accounts.types import LockReason
from unlockdesk.safety import audit
from unlockdesk.tickets.models import Category
from unlockdesk.unlock.exceptions import ApplicationIncomplete, ApplicationNotEditable
from unlockdesk.unlock.models import Evidence, UnlockApplication
from unlockdesk.unlock.queue import run_checks_after_commit
from unlockdesk.unlock.services.status import locked, transition
from unlockdesk.unlock.types import REQUIRED_KINDS, ApplicationStatus, RiskFactor, redo_label
from unlockdesk.verification import selectors as verification


def missing_items(application: UnlockApplication) -> list[str]:
    """What still stops submission: field names and evidence kinds, in wizard order."""
    missing: list[str] = []
    if not (application.kyc_name and application.id_number and application.account_reference):
        missing.append("account")
    if not (application.lock_reason or application.error_message or application.blocked):
        missing.append("problem")
    present = set(Evidence.objects.filter(application=application, superseded_at__isnull=True,
                                          purged_at__isnull=True).values_list("kind", flat=True))
    missing.extend(kind for kind in REQUIRED_KINDS if kind not in present)
    if application.status == ApplicationStatus.NEEDS_INFO:
        missing.extend(item["kind"] for item in application.redo_items if not item.get("uploaded"))
    return missing


def risk_factors(application: UnlockApplication) -> list[str]:
    """Facts that make unlocking risky regardless of the evidence (thresholds from settings)."""
    factors: list[str] = []
    account = application.account
    stolen = application.stolen_reported or application.lock_reason == LockReason.STOLEN_REPORT
    if application.ticket is not None and application.ticket.category == Category.STOLEN_ACCOUNT:
        stolen = True
    if account is not None and AccountLock.objects.filter(
            account=account, lifted_at__isnull=True, reason=LockReason.STOLEN_REPORT).exists():
        stolen = True
    if stolen:
        factors.append(RiskFactor.STOLEN_REPORT)
    if account is not None and account.balance_usd >= settings.UNLOCKDESK_UNLOCK_LARGE_BALANCE_USD:
        factors.append(RiskFactor.LARGE_BALANCE)
    if not application.account_proven:
        factors.append(RiskFactor.NO_PROVEN_ACCOUNT)
    return [str(f) for f in factors]


def names_unproven_account(application: UnlockApplication) -> bool:
    """The application names an exchange account (a UID, email or phone that matched one) that
    the applicant has not proven by signing in with its own address: possibly someone else's."""
    return application.account_id is not None and not application.account_proven


def needs_second_reviewer(application: UnlockApplication) -> bool:
    """Four eyes: a high-risk application, and always one that names an unproven account,
    whatever the checks and the score say."""
    return application.high_risk or names_unproven_account(application)


def submit(application: UnlockApplication, *, actor: str) -> UnlockApplication:
    """Draft or redo -> submitted; checks start on the queue once this has committed.

    Refuses (ApplicationIncomplete, nothing changed) while a required item is missing or an
    item the reviewer asked for has not been uploaded again.
    """
    with transaction.atomic():
        app = locked(application.pk)
        if app.status not in (ApplicationStatus.DRAFT, ApplicationStatus.NEEDS_INFO):
            raise ApplicationNotEditable(_("This application was already submitted."))
        missing = missing_items(app)
        if missing:
            labels = [redo_label(m) for m in missing]
            raise ApplicationIncomplete(
                _("Still missing: %(items)s.") % {"items": ", ".join(labels)}, missing)
        resubmission = app.status == ApplicationStatus.NEEDS_INFO
        if resubmission:
            app.review_round += 1
            app.redo_items = []
        now = timezone.now()
        app.submitted_at = now
        app.decided_at = None
        app.risk_factors = risk_factors(app)
        transition(app, ApplicationStatus.SUBMITTED, actor=actor,
                   fields=("review_round", "redo_items", "submitted_at", "decided_at", "risk_factors"))
        audit.record(actor=actor, action="unlock.submit", target=f"application:{app.pk}",
                     ticket=app.ticket.number if app.ticket else "", round=app.review_round)
        run_checks_after_commit(app.pk)
    return app


def begin_checking(application_id: int) -> None:
    """submitted -> checking; a no-op when the application has already moved on (task retries)."""
    with transaction.atomic():
        app = locked(application_id)
        if app.status == ApplicationStatus.SUBMITTED:
            transition(app, ApplicationStatus.CHECKING, actor="system:verification")


def checks_completed(application_id: int) -> None:
    """checking -> in review, with the risk score and high-risk flag refreshed from the results;
    checking -> needs more information when every failure is a picture to take again
    (`verification.selectors.retakes`), naming those pictures and what to do.

    Also refreshes the score of an application already in review (checks re-run by a reviewer).
    """
    with transaction.atomic():
        app = locked(application_id)
        base = [f for f in risk_factors(app)]
        app.risk_factors = base
        score = verification.risk_score(app)
        failed = verification.has_failures(app)
        factors = list(base)
        if failed:
            factors.append(str(RiskFactor.FAILED_CHECKS))
        if verification.is_high_risk_score(score):
            factors.append(str(RiskFactor.RISK_SCORE))
        app.risk_factors = factors
        app.risk_score = score.score
        high = any(f in factors for f in (RiskFactor.STOLEN_REPORT, RiskFactor.LARGE_BALANCE,
                                          RiskFactor.FAILED_CHECKS, RiskFactor.RISK_SCORE))
        high = high or names_unproven_account(app)
        app.high_risk = high
        fields = ("risk_factors", "risk_score", "high_risk")
        retakes = verification.retakes(app) if app.status == ApplicationStatus.CHECKING else []
        if retakes:
            # Only pictures the customer can fix failed: ask for them again at once, in the
            # checks' own words, instead of making a reviewer say the same thing hours later.
            asked = timezone.now().isoformat()
            app.redo_items = [{"kind": r.kind, "reason_zh": r.message_zh, "reason_en": r.message_en,
                               "uploaded": False, "requested_at": asked, "checks": list(r.reasons)}
                              for r in retakes]
            transition(app, ApplicationStatus.NEEDS_INFO, actor="system:verification",
                       fields=(*fields, "redo_items"), redo=app.redo_items)
        elif app.status == ApplicationStatus.CHECKING:
            transition(app, ApplicationStatus.IN_REVIEW, actor="system:verification", fields=fields)
        else:
            app.save(update_fields=list(fields))
