"""Stored results of automated checks, per application and (when it applies) per evidence file."""

from django.db import models
from django.utils import timezone
from django.utils.translation import get_language

from unlockdesk.verification.labels import check_label
from unlockdesk.verification.types import Region, Result, Status


class CheckResult(models.Model):
    application = models.ForeignKey("unlock.UnlockApplication", on_delete=models.CASCADE,
                                    related_name="check_results")
    evidence = models.ForeignKey("unlock.Evidence", null=True, blank=True,
                                 on_delete=models.CASCADE, related_name="check_results")
    check_name = models.CharField(max_length=48)
    status = models.CharField(max_length=16, choices=Status.choices)
    reason_code = models.CharField(max_length=48)
    message_zh = models.TextField(blank=True)
    message_en = models.TextField(blank=True)
    detail = models.TextField(blank=True)
    region = models.JSONField(null=True, blank=True, help_text="{x, y, w, h} in image pixels.")
    run_id = models.CharField(max_length=32, help_text="All results of one run share it.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["check_name", "evidence_id", "id"]
        indexes = [models.Index(fields=["application", "check_name"])]

    def __str__(self) -> str:
        return f"{self.check_name}: {self.status} ({self.reason_code})"

    def as_result(self) -> Result:
        region = Region(**self.region) if self.region else None
        return Result(
            check=self.check_name, status=Status(self.status), reason_code=self.reason_code,
            message_zh=self.message_zh, message_en=self.message_en, detail=self.detail,
            region=region, evidence_id=self.evidence_id,
        )

    def message(self, language: str) -> str:
        return self.message_zh if language.startswith("zh") else self.message_en

    @property
    def label(self) -> str:
        return check_label(self.check_name)

    @property
    def message_here(self) -> str:
        """The message in the active language (templates cannot pass an argument)."""
        return self.message(get_language() or "zh-hans")
