"""One export a customer asked for: built on the task queue, downloadable for a day."""

import secrets
from datetime import datetime, timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

LIFETIME = timedelta(days=1)


def _expiry() -> datetime:
    return timezone.now() + LIFETIME


def _public_id() -> str:
    return "EXP-" + secrets.token_hex(8).upper()


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    BUILDING = "building", _("Being prepared")
    READY = "ready", _("Ready to download")
    FAILED = "failed", _("Could not be prepared")
    EXPIRED = "expired", _("Expired")


class RecordsExport(models.Model):
    public_id = models.CharField(max_length=24, unique=True, default=_public_id)
    contact = models.ForeignKey("tickets.Contact", on_delete=models.CASCADE,
                                related_name="records_exports")
    account = models.ForeignKey("accounts.ExchangeAccount", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="records_exports")
    # How the customer signed in when asking: the export sees what that session saw.
    identity_kind = models.CharField(max_length=16)
    identity_value = models.CharField(max_length=254)
    language = models.CharField(max_length=8, default="zh-hans")
    status = models.CharField(max_length=12, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done, for the page.")
    pdf = models.FileField(upload_to="exports/%Y/%m/", blank=True)
    json = models.FileField(upload_to="exports/%Y/%m/", blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    json_sha256 = models.CharField(max_length=64, blank=True)
    tickets = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    ready_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(default=_expiry, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["contact", "created_at"])]

    def __str__(self) -> str:
        return self.public_id

    @property
    def expired(self) -> bool:
        return self.status == ExportStatus.EXPIRED or timezone.now() >= self.expires_at
