"""Enums shared with other apps: why an account is locked and what a lock blocks."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class LockReason(models.TextChoices):
    RISK_CONTROL = "risk_control", _("Risk-control rule")
    SUSPICIOUS_LOGIN = "suspicious_login", _("Suspicious login")
    WRONG_CODES = "wrong_codes", _("Too many wrong codes")
    SECURITY_CHANGE_HOLD = "security_change_hold", _("24-hour hold after a security change")
    SELF_FREEZE = "self_freeze", _("Frozen by the account owner")
    COMPLIANCE_REVIEW = "compliance_review", _("Compliance review")
    STOLEN_REPORT = "stolen_report", _("Reported as stolen")


class Restriction(models.TextChoices):
    LOGIN = "login", _("Log in")
    TRADE = "trade", _("Trade")
    WITHDRAW = "withdraw", _("Withdraw")
    DEPOSIT = "deposit", _("Deposit")


class TransactionKind(models.TextChoices):
    DEPOSIT = "deposit", _("Deposit")
    WITHDRAWAL = "withdrawal", _("Withdrawal")
    TRADE = "trade", _("Trade")
    TRANSFER = "transfer", pgettext_lazy("transaction kind", "Transfer")
    P2P = "p2p", _("P2P / OTC")


FREEZE_RESTRICTIONS = (Restriction.LOGIN, Restriction.TRADE, Restriction.WITHDRAW)
