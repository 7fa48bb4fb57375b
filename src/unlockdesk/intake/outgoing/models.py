"""Subscriptions of other systems' URLs to our events, and every delivery attempt to them."""

from django.db import models
from django.utils import timezone

from unlockdesk.fields import EncryptedTextField
from unlockdesk.integration_events import EventType


class Subscription(models.Model):
    """One receiving URL with its own signing secret (`whsec_...`, stored encrypted)."""

    url = models.URLField(max_length=500)
    description = models.CharField(max_length=200, blank=True)
    events = models.JSONField(default=list, help_text="Event types sent to this URL.")
    secret = EncryptedTextField(help_text="Standard Webhooks signing secret, whsec_...")
    active = models.BooleanField(default=True)
    created_by = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.url

    def wants(self, event_type: str) -> bool:
        return self.active and event_type in self.events


class DeliveryState(models.TextChoices):
    PENDING = "pending", "pending"
    SUCCEEDED = "succeeded", "succeeded"
    FAILED = "failed", "failed"


class Delivery(models.Model):
    """One event for one subscription. `webhook_id` stays the same across attempts and
    redeliveries, so the receiver can drop duplicates."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="deliveries")
    webhook_id = models.CharField(max_length=40, unique=True)
    event_type = models.CharField(max_length=32, choices=EventType.choices)
    payload = models.JSONField()
    state = models.CharField(max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "deliveries"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.event_type} -> {self.subscription.url}"


class Attempt(models.Model):
    """The log of one HTTP attempt: what the receiver answered and how long it took."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveSmallIntegerField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=255, blank=True)
    succeeded = models.BooleanField(default=False)
    duration_ms = models.PositiveIntegerField(default=0)
    retry_in_seconds = models.PositiveIntegerField(
        null=True, blank=True, help_text="Back-off before the next attempt; empty when none follows.")
    attempted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["attempted_at", "id"]

    def __str__(self) -> str:
        return f"attempt {self.number}: {self.status_code or self.error}"
