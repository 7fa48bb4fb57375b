"""Plain-words explanation of a lock and the one next step that fits it."""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from unlockdesk.accounts.selectors import LockView
from unlockdesk.accounts.types import LockReason


@dataclass(frozen=True)
class LockAdvice:
    explanation: str
    next_step: str
    action: str  # wait | reset | apply | agent_now
    lifts_at: datetime | None


def advise(lock: LockView) -> LockAdvice:
    reason = lock.reason
    if reason == LockReason.SECURITY_CHANGE_HOLD:
        return LockAdvice(
            _("You recently changed a security setting (password, phone, email or 2FA). "
              "To protect you, withdrawals are paused for 24 hours."),
            _("Nothing to do: the hold lifts by itself. If you did not make the change, "
              "freeze your account now and contact us."),
            "wait", lock.auto_lift_at)
    if reason == LockReason.WRONG_CODES:
        return LockAdvice(
            _("Too many wrong passwords or verification codes were entered."),
            _("Reset your password or 2FA from the login page, then sign in again. "
              "If that fails, apply to unlock."),
            "reset", lock.auto_lift_at)
    if reason == LockReason.SELF_FREEZE:
        return LockAdvice(
            _("The account was frozen by its owner (emergency freeze)."),
            _("To unfreeze, apply to unlock with your identity documents; "
              "we check that it is really you."),
            "apply", None)
    if reason == LockReason.STOLEN_REPORT:
        return LockAdvice(
            _("The account was reported as stolen and is frozen to protect the funds."),
            _("Talk to an agent now, then apply to unlock with your identity documents."),
            "agent_now", None)
    if reason == LockReason.COMPLIANCE_REVIEW:
        return LockAdvice(
            _("The account is under a compliance review."),
            _("Contact an agent: they tell you which documents the review needs."),
            "agent_now", None)
    if reason == LockReason.SUSPICIOUS_LOGIN:
        return LockAdvice(
            _("We saw a login that did not look like you (new device or place)."),
            _("Apply to unlock with your identity documents. If it was not you, "
              "change your password as soon as you regain access."),
            "apply", None)
    return LockAdvice(
        _("A risk-control rule restricted the account after unusual activity."),
        _("Apply to unlock with your identity documents and recent transaction records."),
        "apply", None)
