"""Enums and small values of unlock applications, shared with verification and the web layer."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    CHECKING = "checking", _("Checking the materials")
    NEEDS_INFO = "needs_info", _("Needs more information")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    UNLOCKED = "unlocked", _("Unlocked")


# Which status may follow which: anything else is refused by the services.
TRANSITIONS: dict[str, set[str]] = {
    ApplicationStatus.DRAFT: {ApplicationStatus.SUBMITTED},
    ApplicationStatus.SUBMITTED: {ApplicationStatus.CHECKING},
    ApplicationStatus.CHECKING: {ApplicationStatus.IN_REVIEW, ApplicationStatus.NEEDS_INFO},
    ApplicationStatus.NEEDS_INFO: {ApplicationStatus.SUBMITTED},
    ApplicationStatus.IN_REVIEW: {
        ApplicationStatus.NEEDS_INFO, ApplicationStatus.APPROVED, ApplicationStatus.REJECTED,
        ApplicationStatus.CHECKING,
    },
    ApplicationStatus.APPROVED: {ApplicationStatus.UNLOCKED},
    ApplicationStatus.REJECTED: set(),
    ApplicationStatus.UNLOCKED: set(),
}

FINAL_STATUSES = {ApplicationStatus.REJECTED, ApplicationStatus.UNLOCKED}


class EvidenceKind(models.TextChoices):
    ID_FRONT = "id_front", _("ID card, front")
    ID_BACK = "id_back", _("ID card, back")
    HANDHELD = "handheld", _("Handheld photo")
    PROBLEM_SCREENSHOT = "problem_screenshot", _("Screenshot of the problem")
    TRANSACTION_RECORD = "transaction_record", _("Transaction record")
    OTHER_PROOF = "other_proof", _("Other proof")


# Kinds with exactly one current file; the others take several.
SINGLE_KINDS = {EvidenceKind.ID_FRONT, EvidenceKind.ID_BACK, EvidenceKind.HANDHELD}
REQUIRED_KINDS = (EvidenceKind.ID_FRONT, EvidenceKind.ID_BACK, EvidenceKind.HANDHELD)
MAX_FILES_PER_KIND = 6

# Besides any kind of file, a reviewer may ask for the typed transaction IDs again: a wrong ID
# is fixed by typing, not by uploading a screenshot.
TRANSACTION_IDS = "transaction_ids"
REDO_CHOICES = [*EvidenceKind.choices, (TRANSACTION_IDS, _("Transaction IDs"))]


def redo_label(kind: str) -> str:
    """What the customer and the reviewer read for an item asked for again."""
    return str(dict(REDO_CHOICES).get(kind, kind))


class DecisionKind(models.TextChoices):
    REQUEST_INFO = "request_info", _("Ask for more information")
    APPROVE = "approve", _("Approve")
    CONFIRM = "confirm", _("Confirm approval (second reviewer)")
    REJECT = "reject", _("Reject")


class RiskFactor(models.TextChoices):
    STOLEN_REPORT = "stolen_report", _("Reported as stolen")
    LARGE_BALANCE = "large_balance", _("Large balance")
    FAILED_CHECKS = "failed_checks", _("Automated checks failed")
    RISK_SCORE = "risk_score", _("Risk score at or above the threshold")
    NO_PROVEN_ACCOUNT = "no_proven_account", _("Applicant has not proven an account address")


class Step(models.IntegerChoices):
    ACCOUNT = 1, _("Account")
    PROBLEM = 2, _("The problem")
    IDENTITY = 3, _("Identity")
    TRANSACTIONS = 4, _("Transaction records")
    OTHER = 5, _("Other proof")
