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


class SmsDelivery(models.Model):
    """One text handed to an SMS provider and the provider's latest word on it.

    The text is not kept (it may be a sign-in code). `status` is the provider's own
    (Twilio: queued, sending, sent, delivered, undelivered, failed); `failed` is also what
    we record when the provider refused the text or could not be reached.
    """

    FAILED = "failed"
    UNDELIVERED = "undelivered"

    provider = models.CharField(max_length=20)
    provider_id = models.CharField(max_length=64, blank=True, db_index=True)
    to = models.CharField(max_length=32)
    reference = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=20)
    error = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.provider} {self.provider_id or '-'} to {self.to}: {self.status}"
