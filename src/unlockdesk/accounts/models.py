"""The exchange-account mirror: who the account is, why it is locked, what it did.

KYC name and ID number are stored encrypted, with a keyed hash beside each for matching
and a masked form for display; the plain value is read only through audited reveals.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from unlockdesk.accounts.types import LockReason, Restriction, TransactionKind
from unlockdesk.fields import EncryptedTextField


class ExchangeAccount(models.Model):
    uid = models.CharField("UID", max_length=32, unique=True)
    email = models.CharField(max_length=254, blank=True, db_index=True)
    phone = models.CharField(max_length=20, blank=True, db_index=True)
    kyc_name = EncryptedTextField(blank=True)
    kyc_name_hash = models.CharField(max_length=64, blank=True, db_index=True)
    kyc_name_masked = models.CharField(max_length=64, blank=True)
    id_number = EncryptedTextField(blank=True)
    id_number_hash = models.CharField(max_length=64, blank=True, db_index=True)
    id_number_masked = models.CharField(max_length=32, blank=True)
    anti_phishing_code = models.CharField(max_length=20, blank=True)
    balance_usd = models.DecimalField(max_digits=20, decimal_places=2, default=0)
    language = models.CharField(max_length=8, default="zh-hans")
    time_zone = models.CharField(max_length=40, default="Asia/Shanghai")
    created_at = models.DateTimeField(default=timezone.now)
    feed_version = models.BigIntegerField(
        default=0, help_text="Version of the newest account event applied (0: none yet).")

    class Meta:
        ordering = ["uid"]

    def __str__(self) -> str:
        return f"UID {self.uid}"


class AccountLock(models.Model):
    account = models.ForeignKey(ExchangeAccount, on_delete=models.CASCADE, related_name="locks")
    reason = models.CharField(max_length=32, choices=LockReason.choices)
    restrictions = models.JSONField(default=list, help_text="Subset of Restriction values.")
    since = models.DateTimeField(default=timezone.now)
    locked_by = models.CharField(max_length=64, help_text="system:<rule>, agent:<工号>, customer")
    note = models.TextField(blank=True)
    auto_lift_at = models.DateTimeField(null=True, blank=True)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.CharField(max_length=64, blank=True)
    lock_id = models.CharField(
        max_length=80, blank=True, help_text="The exchange's id for a lock that came from the feed.")
    feed_version = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["-since"]
        indexes = [models.Index(fields=["account", "lifted_at"])]
        constraints = [
            models.UniqueConstraint(fields=["lock_id"], condition=~models.Q(lock_id=""),
                                    name="uniq_lock_feed_id"),
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.reason}"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None

    def blocks(self, restriction: Restriction) -> bool:
        return self.is_active and restriction in self.restrictions

    def restriction_labels(self) -> list[str]:
        return [str(Restriction(r).label) for r in self.restrictions]


class Transaction(models.Model):
    account = models.ForeignKey(
        ExchangeAccount, on_delete=models.CASCADE, related_name="transactions"
    )
    tx_id = models.CharField(_("transaction ID"), max_length=80)
    tx_hash = models.CharField(max_length=130, blank=True, db_index=True)
    occurred_at = models.DateTimeField()
    kind = models.CharField(max_length=16, choices=TransactionKind.choices)
    asset = models.CharField(max_length=16)
    amount = models.DecimalField(max_digits=30, decimal_places=8)
    counterparty = models.CharField(max_length=130, blank=True)
    feed_version = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["-occurred_at"]
        constraints = [
            models.UniqueConstraint(fields=["account", "tx_id"], name="uniq_account_tx_id")
        ]
        # Agents search tickets by a transaction ID a customer quotes, without the account.
        indexes = [models.Index(fields=["tx_id"], name="transaction_tx_id")]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount} {self.asset}"


class CustomerCode(models.Model):
    """A one-time sign-in code for the portal; only its keyed hash is stored."""

    destination_hash = models.CharField(max_length=64, db_index=True)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"code {self.pk} (expires {self.expires_at:%H:%M})"


class FeedKey(models.Model):
    """A key the exchange core signs its event pushes with; several may be active to rotate."""

    key_id = models.CharField(max_length=64, unique=True)
    secret = EncryptedTextField(help_text="The shared HMAC secret (encrypted at rest).")
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["key_id"]

    def __str__(self) -> str:
        return f"feed key {self.key_id}{'' if self.active else ' (inactive)'}"


class FeedEvent(models.Model):
    """One applied event id: a retried or replayed delivery of the same id changes nothing."""

    event_id = models.CharField(max_length=100, unique=True)
    type = models.CharField(max_length=16)
    uid = models.CharField(max_length=32)
    version = models.BigIntegerField()
    applied = models.BooleanField(help_text="False when a newer version was already there.")
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.type} event {self.event_id}"
