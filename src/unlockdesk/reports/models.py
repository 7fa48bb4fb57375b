"""The satisfaction survey: one per ticket, asked when it is first resolved."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from unlockdesk.tickets.types import Channel


class CsatSurvey(models.Model):
    """What the customer was asked and answered. Channel, queue and agent are copied at the
    resolve so results stay with who did the work even when the ticket moves later."""

    ticket = models.OneToOneField("tickets.Ticket", on_delete=models.CASCADE,
                                  related_name="csat_survey")
    channel = models.CharField(max_length=16, choices=Channel.choices)
    queue = models.ForeignKey("tickets.Queue", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    nonce = models.CharField(max_length=32, help_text="Random; part of the signed link.")
    asked_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.TextField(blank=True, help_text="Redacted: secrets removed before storing.")
    comment_redactions = models.JSONField(default=list, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_via = models.CharField(max_length=16, blank=True, help_text="link or portal")

    class Meta:
        verbose_name = "satisfaction survey"
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="csat_rating_1_to_5"),
        ]
        indexes = [
            models.Index(fields=["answered_at"], name="csat_answered"),
            models.Index(fields=["asked_at"], name="csat_asked"),
        ]

    def __str__(self) -> str:
        return f"satisfaction survey {self.pk}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    @property
    def is_open(self) -> bool:
        return self.answered_at is None and timezone.now() < self.expires_at
