"""API keys for other systems, and the stored answers that make a retried POST land once."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class ApiKey(models.Model):
    """A key is shown once when created; only its prefix (to find it) and a keyed hash of the
    whole token (to check it) are stored. It acts as `agent`, so every write it makes passes
    the same role checks, guard and audit as that agent's own."""

    name = models.CharField(max_length=80)
    prefix = models.CharField(max_length=16, unique=True)
    token_hash = models.CharField(max_length=64)
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_keys",
                              help_text="The staff account the key acts as (author of its replies).")
    scopes = models.JSONField(default=list)
    rate_per_minute = models.PositiveIntegerField(
        null=True, blank=True, help_text="Requests a minute; empty: UNLOCKDESK_API_PER_MINUTE.")
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_by = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "API key"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_usable(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class IdempotentRequest(models.Model):
    """The first answer to a POST with an Idempotency-Key; a retry gets it again.

    `status_code` is empty while the first request is still running.
    """

    api_key = models.ForeignKey(ApiKey, on_delete=models.CASCADE, related_name="idempotent_requests")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of method, path and body.")
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["api_key", "key"], name="uniq_idempotency_key")]

    def __str__(self) -> str:
        return f"{self.api_key.prefix}:{self.key}"
