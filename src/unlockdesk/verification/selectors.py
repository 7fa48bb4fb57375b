"""Reads of check results and the risk score the unlock review relies on.

No permission filter here: results are shown only on the reviewer screen, whose view and
selector (`unlock.selectors.application_for_reviewer`) check the role first.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet

from unlockdesk.unlock.models import UnlockApplication
from unlockdesk.verification.models import CheckResult
from unlockdesk.verification.types import RiskScore, Status

# Points per finding; the sum is capped at 100.
WEIGHTS = {
    Status.FAIL: 40,
    Status.WARN: 10,
}
# Failures the customer fixes by taking that picture again, by check: the application goes
# back to them at once with the check's own message. Any other failure (another person's face,
# another account's photo, a KYC or card-number mismatch) is for a reviewer to judge, so it
# is never explained to the customer automatically.
RETAKE = {
    "handheld_note": {"no_text", "phrase_missing", "date_wrong", "date_missing", "ticket_missing",
                      "unreadable"},
    "face_present": {"no_face", "unreadable"},
    "handheld_id_card": {"no_card", "unreadable"},
    "image_quality": {"low_resolution", "blurry", "too_dark", "too_bright", "screenshot",
                      "photo_of_screen", "unreadable"},
    "id_card_front": {"unreadable"},
    "id_card_back": {"expired", "unreadable"},
    "exif": {"capture_time"},
    "reused_evidence": {"same_image_twice", "reused_own"},
}
# Only these single-file kinds are asked for again automatically.
RETAKE_KINDS = ("id_front", "id_back", "handheld")
FACTOR_WEIGHTS = {
    "stolen_report": 50,
    "large_balance": 30,
    "no_proven_account": 15,
}


def results_for(application: UnlockApplication) -> QuerySet[CheckResult]:
    """The latest stored results, ordered by check name then evidence."""
    return CheckResult.objects.filter(application=application).select_related("evidence")


def risk_score(application: UnlockApplication) -> RiskScore:
    """Combine check results with the application's own risk factors into 0-100.

    Deterministic: the same results and factors always give the same score. The threshold
    that makes an application high-risk is `settings.UNLOCKDESK_UNLOCK_RISK_THRESHOLD`.
    """
    score = 0
    factors: list[str] = []
    for row in results_for(application):
        weight = WEIGHTS.get(Status(row.status), 0)
        if weight:
            score += weight
            factors.append(f"{row.check_name}:{row.status}:{row.reason_code}")
    for factor in application.risk_factors:
        weight = FACTOR_WEIGHTS.get(factor, 0)
        if weight:
            score += weight
            factors.append(factor)
    return RiskScore(score=min(score, 100), factors=tuple(factors))


def has_failures(application: UnlockApplication) -> bool:
    return results_for(application).filter(status=Status.FAIL).exists()


def is_high_risk_score(score: RiskScore) -> bool:
    return score.score >= settings.UNLOCKDESK_UNLOCK_RISK_THRESHOLD


@dataclass(frozen=True)
class Retake:
    """One picture the customer must take again, with what to do in both languages."""

    kind: str
    message_zh: str
    message_en: str
    reasons: tuple[str, ...]  # "check:reason" of the failures behind it


def retakes(application: UnlockApplication) -> list[Retake]:
    """The pictures to take again when every failure is one the customer can fix (RETAKE);
    empty when there is none, or when any failure needs a reviewer's judgement."""
    grouped: dict[str, list[CheckResult]] = {}
    for row in results_for(application).filter(status=Status.FAIL):
        kind = row.evidence.kind if row.evidence is not None else ""
        if kind not in RETAKE_KINDS or row.reason_code not in RETAKE.get(row.check_name, set()):
            return []
        grouped.setdefault(kind, []).append(row)
    out = []
    for kind in RETAKE_KINDS:
        rows = grouped.get(kind, [])
        if rows:
            out.append(Retake(
                kind=kind,
                message_zh=" ".join(dict.fromkeys(r.message_zh for r in rows if r.message_zh)),
                message_en=" ".join(dict.fromkeys(r.message_en for r in rows if r.message_en)),
                reasons=tuple(f"{r.check_name}:{r.reason_code}" for r in rows),
            ))
    return out
