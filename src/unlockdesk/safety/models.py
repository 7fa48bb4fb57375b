"""The append-only audit log, the official-channel registry, scam reports and the blocklist."""

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditQuerySet(models.QuerySet["AuditEntry"]):
    """Bulk updates and deletes are refused too, not only single-row save() and delete()."""

    def update(self, **kwargs: Any) -> int:
        raise PermissionError("audit entries are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("audit entries are append-only")


class AuditEntry(models.Model):
    """One sensitive action. Rows are never updated or deleted through the ORM."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.CharField(max_length=64, help_text="agent:<工号|username>, customer:<id>, system")
    action = models.CharField(max_length=64, db_index=True)
    target = models.CharField(max_length=128, blank=True, db_index=True)
    details = models.JSONField(default=dict, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.target}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError("audit entries are append-only")


class ContactKind(models.TextChoices):
    """What a person may paste into the verifier or report as suspicious."""

    DOMAIN = "domain", _("Website or link")
    EMAIL = "email", _("Email address")
    PHONE = "phone", _("Phone number")
    TELEGRAM = "telegram", "Telegram"
    X = "x", "X (Twitter)"
    FACEBOOK = "facebook", "Facebook"
    AGENT_NUMBER = "agent_number", _("Agent number (工号)")


class OfficialChannel(models.Model):
    """One official domain, address, number or social handle, managed by admins.

    Agents' 工号 are not copied here: the verifier reads staff.Agent (agent_number, is_active)
    directly, so an agent who leaves is no longer official the moment the account is disabled.
    The brand's domains (settings.BRAND.official_domains) are always official.
    """

    kind = models.CharField(max_length=16, choices=ContactKind.choices)
    value = models.CharField(max_length=254, help_text="Normalised: lower case, E.164, no @.")
    label = models.CharField(max_length=120, blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "value"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "value"], name="uniq_official_channel")
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"


class ReportStatus(models.TextChoices):
    NEW = "new", _("New")
    CONFIRMED = "confirmed", _("Confirmed scam")
    DISMISSED = "dismissed", _("Dismissed")


class ScamReport(models.Model):
    """A customer's report of a suspicious contact; the security queue works through these."""

    kind = models.CharField(max_length=16, choices=ContactKind.choices)
    value = models.CharField(max_length=254)
    description = models.TextField(blank=True, help_text="Stored after the secret scan.")
    verdict = models.CharField(max_length=16, blank=True, help_text="The verifier's answer at report time.")
    reporter = models.ForeignKey(
        "tickets.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=12, choices=ReportStatus.choices, default=ReportStatus.NEW)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"report {self.pk} {self.kind}:{self.value}"


class BlockedContact(models.Model):
    """A confirmed scam contact: the verifier calls it not ours, inbound links to it are flagged."""

    kind = models.CharField(max_length=16, choices=ContactKind.choices)
    value = models.CharField(max_length=254)
    reason = models.CharField(max_length=255, blank=True)
    report = models.ForeignKey(ScamReport, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "value"], name="uniq_blocked_contact")
        ]

    def __str__(self) -> str:
        return f"blocked {self.kind}:{self.value}"
