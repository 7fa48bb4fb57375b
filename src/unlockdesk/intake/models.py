"""What the demo outbox keeps: every email and SMS the desk would have sent."""

from django.db import models
from django.utils import timezone


class OutboxItem(models.Model):
    """Filled only by the outbox backends (demo and tests); production uses real providers."""

    EMAIL = "email"
    SMS = "sms"
    SOCIAL = "social"

    kind = models.CharField(max_length=8, choices=[(EMAIL, "Email"), (SMS, "SMS"), (SOCIAL, "Social")])
    to = models.CharField(max_length=254, db_index=True)
    subject = models.CharField(max_length=255, blank=True)
    body = models.TextField()
    html = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} to {self.to}: {self.subject}"
