"""Reviewers' decisions: ask for items again, approve (with four eyes when high-risk), reject,
and the unlock through the exchange gateway that follows approval.

Every rule is enforced here, not in the page: the role, the status, and that the second
approval of a high-risk application comes from a different reviewer in the same round (a
database constraint backs the last one). Every decision and KYC reveal is audited.
"""

from collections.abc import Collection

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from unlockdesk.accounts import services as account_services
from unlockdesk.accounts.models import AccountLock
from unlockdesk.accounts.types import LockReason, Restriction
from unlockdesk.chinese import list_of
from unlockdesk.safety import audit
from unlockdesk.staff.models import Agent, Role
from unlockdesk.tickets.events import record_event
from unlockdesk.tickets.models import EventKind
from unlockdesk.unlock.exceptions import FourEyesRequired, ReviewNotAllowed, UnlockFailed
from unlockdesk.unlock.models import ReasonTemplate, ReviewDecision, UnlockApplication
from unlockdesk.unlock.selectors import approvals_this_round
from unlockdesk.unlock.services.status import locked, transition
from unlockdesk.unlock.services.submission import needs_second_reviewer
from unlockdesk.unlock.types import TRANSACTION_IDS, ApplicationStatus, DecisionKind, EvidenceKind
from unlockdesk.verification import selectors as verification
from unlockdesk.verification.models import CheckResult
from unlockdesk.verification.types import Status as CheckStatus

# Locks an approved unlock application lifts. A compliance review is decided by compliance,
# and a 24-hour hold after a security change protects the owner and lifts by itself.
LIFTABLE = {
    LockReason.RISK_CONTROL, LockReason.SUSPICIOUS_LOGIN, LockReason.WRONG_CODES,
    LockReason.SELF_FREEZE, LockReason.STOLEN_REPORT,
}


def _require_reviewer(agent: Agent) -> None:
    if not (agent.is_active and agent.has_role(Role.REVIEWER)):
        raise ReviewNotAllowed(_("Only reviewers may decide unlock applications."))


def _in_review(app: UnlockApplication) -> None:
    if app.status != ApplicationStatus.IN_REVIEW:
        raise ReviewNotAllowed(_("The application is not waiting for a review decision."))


def _decision(app: UnlockApplication, agent: Agent, kind: DecisionKind, *, reasons: list[ReasonTemplate],
              note: str, items: list[str] | None = None) -> ReviewDecision:
    decision = ReviewDecision.objects.create(application=app, reviewer=agent, kind=kind, note=note.strip(),
                                             items=items or [], round=app.review_round)
    decision.reasons.set(reasons)
    audit.record(actor=audit.actor_of(agent), action=f"unlock.{kind}", target=f"application:{app.pk}",
                 ticket=app.ticket.number if app.ticket else "", reasons=[r.code for r in reasons],
                 items=items or [], round=app.review_round, high_risk=app.high_risk)
    return decision


def request_info(application: UnlockApplication, *, reviewer: Agent, items: list[str],
                 reasons: list[ReasonTemplate], note: str = "") -> UnlockApplication:
    """in review -> needs more information, naming the single items to upload (or type) again.

    Each item takes the reason template chosen for its kind (or the first general one), so
    the customer reads why, in their language.
    """
    _require_reviewer(reviewer)
    items = [i for i in dict.fromkeys(items) if i in EvidenceKind.values or i == TRANSACTION_IDS]
    if not items:
        raise ReviewNotAllowed(_("Choose at least one item the customer must upload again."))
    with transaction.atomic():
        app = locked(application.pk)
        _in_review(app)
        _decision(app, reviewer, DecisionKind.REQUEST_INFO, reasons=reasons, note=note, items=items)
        general = [r for r in reasons if not r.evidence_kind]
        redo = []
        for kind in items:
            # Typed IDs take the reason written for transaction records.
            about = EvidenceKind.TRANSACTION_RECORD if kind == TRANSACTION_IDS else kind
            reason = next((r for r in reasons if r.evidence_kind == about), general[0] if general else None)
            redo.append({"kind": kind, "reason_zh": reason.text_zh if reason else "",
                         "reason_en": reason.text_en if reason else "", "uploaded": False})
        app.redo_items = redo
        transition(app, ApplicationStatus.NEEDS_INFO, actor=audit.actor_of(reviewer),
                   fields=("redo_items",), redo=redo)
    return app


def reject(application: UnlockApplication, *, reviewer: Agent, reasons: list[ReasonTemplate],
           note: str = "") -> UnlockApplication:
    """in review -> rejected, with at least one reason template the customer can read."""
    _require_reviewer(reviewer)
    if not reasons:
        raise ReviewNotAllowed(_("Choose the reason the customer will read."))
    with transaction.atomic():
        app = locked(application.pk)
        _in_review(app)
        _decision(app, reviewer, DecisionKind.REJECT, reasons=reasons, note=note)
        app.decided_at = timezone.now()
        language = app.ticket.language if app.ticket else app.language
        transition(app, ApplicationStatus.REJECTED, actor=audit.actor_of(reviewer), fields=("decided_at",),
                   reasons=[r.text(language) for r in reasons])
    return app


def _failed_checks(app: UnlockApplication) -> list[CheckResult]:
    return [r for r in verification.results_for(app) if r.status == CheckStatus.FAIL]


def approve(application: UnlockApplication, *, reviewer: Agent, reasons: list[ReasonTemplate] | None = None,
            note: str = "", acknowledged: Collection[int] = ()) -> UnlockApplication:
    """Approve; a high-risk application needs two approvals by two different reviewers.

    Every failed automated check must be acknowledged by the approving reviewer (`acknowledged`
    holds the ids of the results they ticked "I checked this" for); the acknowledged checks are
    audited with the decision. A failed check nobody looked at never slips through an approval.

    The first approval of a high-risk application is recorded and the application stays in
    review ("awaiting a second reviewer"); the same reviewer approving again is refused with
    FourEyesRequired. The final approval moves to approved and unlocks through the gateway.
    """
    _require_reviewer(reviewer)
    with transaction.atomic():
        app = locked(application.pk)
        _in_review(app)
        approvals = approvals_this_round(app)
        if any(a.reviewer_id == reviewer.pk for a in approvals):
            raise FourEyesRequired(
                _("You already approved this application: a second reviewer must confirm."))
        failed = _failed_checks(app)
        unchecked = [r for r in failed if r.pk not in set(acknowledged)]
        if unchecked:
            raise ReviewNotAllowed(_(
                "Tick “I checked this” for each failed check before approving: %(checks)s."
            ) % {"checks": list_of(dict.fromkeys(r.label for r in unchecked))})
        if failed:
            audit.record(actor=audit.actor_of(reviewer), action="unlock.failed_checks_acknowledged",
                         target=f"application:{app.pk}", round=app.review_round,
                         checks=[f"{r.check_name}:{r.reason_code}" for r in failed])
        if needs_second_reviewer(app) and not approvals:
            _decision(app, reviewer, DecisionKind.APPROVE, reasons=reasons or [], note=note)
            if app.ticket:
                record_event(app.ticket, EventKind.UNLOCK, actor=audit.actor_of(reviewer),
                             application=app.pk, first_approval=True, new="awaiting_second_reviewer")
            return app
        kind = DecisionKind.CONFIRM if approvals else DecisionKind.APPROVE
        _decision(app, reviewer, kind, reasons=reasons or [], note=note)
        app.decided_at = timezone.now()
        transition(app, ApplicationStatus.APPROVED, actor=audit.actor_of(reviewer), fields=("decided_at",))
    return perform_unlock(app, actor=audit.actor_of(reviewer))


def perform_unlock(application: UnlockApplication, *, actor: str) -> UnlockApplication:
    """approved -> unlocked: lift the account's liftable locks through the gateway.

    Each lift is audited by accounts.services.lift_lock. If the exchange refuses, the
    application stays approved (UnlockFailed) and the reviewer can retry; locks already
    lifted stay lifted (lifting twice is a no-op).
    """
    app = UnlockApplication.objects.select_related("account", "ticket").get(pk=application.pk)
    if app.status != ApplicationStatus.APPROVED:
        raise ReviewNotAllowed(_("Only an approved application can be unlocked."))
    if app.account is None:
        raise UnlockFailed(_("The application names no known account; nothing can be unlocked."))
    active = list(AccountLock.objects.filter(account=app.account, lifted_at__isnull=True))
    lifted_labels: set[str] = set()
    try:
        for lock in active:
            if lock.reason in LIFTABLE:
                account_services.lift_lock(lock, actor=actor, why=f"unlock application {app.pk}")
                lifted_labels.add(str(LockReason(lock.reason).label))
    except Exception as exc:  # the exchange core refused or failed: keep approved, let them retry
        audit.record(actor=actor, action="unlock.gateway_failed", target=f"application:{app.pk}",
                     error=str(exc)[:200])
        raise UnlockFailed(_("The exchange did not confirm the unlock. Try again.")) from exc
    remaining = AccountLock.objects.filter(account=app.account, lifted_at__isnull=True)
    language = app.ticket.language if app.ticket else app.language
    with override(language):
        still = sorted({str(Restriction(r).label) for lock in remaining for r in lock.restrictions})
        lifted = sorted(lifted_labels)
    with transaction.atomic():
        fresh = locked(app.pk)
        if fresh.status != ApplicationStatus.APPROVED:
            return fresh
        fresh.unlocked_at = timezone.now()
        transition(fresh, ApplicationStatus.UNLOCKED, actor=actor, fields=("unlocked_at",),
                   lifted=lifted, still_blocked=still)
    return fresh


def reveal_kyc(application: UnlockApplication, *, reviewer: Agent, why: str) -> dict[str, str]:
    """Plain KYC values of the applicant and of the account, side by side; always audited."""
    _require_reviewer(reviewer)
    why = why.strip()
    if not why:
        raise ReviewNotAllowed(_("Say why you need to see the full values."))
    actor = audit.actor_of(reviewer)
    with transaction.atomic():
        audit.record(actor=actor, action="unlock.kyc_reveal", target=f"application:{application.pk}",
                     why=why)
        shown = {"applicant_name": application.kyc_name, "applicant_id_number": application.id_number}
        if application.account is not None:
            account = account_services.reveal_kyc(application.account, actor=actor, why=why)
            shown.update(account_name=account["kyc_name"], account_id_number=account["id_number"])
    return shown
