"""Unlock applications, their evidence, reviewers' decisions and the reasons they choose from.

KYC name and ID number typed by the applicant are stored encrypted with a keyed hash beside
each (for matching) and a masked form (for display). Evidence files go to the default storage,
which encrypts every byte with keys kept outside the database; `preview` is a re-encoded copy
without metadata, the only form anyone but a reviewer ever sees.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from unlockdesk.accounts.types import LockReason
from unlockdesk.fields import EncryptedTextField
from unlockdesk.unlock.types import ApplicationStatus, DecisionKind, EvidenceKind, Step, redo_label


class UnlockApplication(models.Model):
    ticket = models.OneToOneField(
        "tickets.Ticket", null=True, blank=True, on_delete=models.PROTECT,
        related_name="unlock_application",
    )
    contact = models.ForeignKey("tickets.Contact", on_delete=models.PROTECT,
                                related_name="unlock_applications")
    account = models.ForeignKey(
        "accounts.ExchangeAccount", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="unlock_applications",
        help_text="The account the applicant named (proven or not: see account_proven).",
    )
    account_proven = models.BooleanField(
        default=False, help_text="The applicant signed in with this account's own email/phone."
    )
    account_reference = models.CharField(max_length=254, blank=True,
                                         help_text="UID, email or phone as typed.")
    status = models.CharField(max_length=16, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.DRAFT, db_index=True)
    step = models.PositiveSmallIntegerField(choices=Step.choices, default=Step.ACCOUNT)
    language = models.CharField(max_length=8, default="zh-hans")

    kyc_name = EncryptedTextField(blank=True)
    kyc_name_hash = models.CharField(max_length=64, blank=True)
    kyc_name_masked = models.CharField(max_length=64, blank=True)
    id_number = EncryptedTextField(blank=True)
    id_number_hash = models.CharField(max_length=64, blank=True)
    id_number_masked = models.CharField(max_length=32, blank=True)

    lock_reason = models.CharField(max_length=32, choices=LockReason.choices, blank=True)
    happened_at = models.DateTimeField(null=True, blank=True)
    blocked = models.JSONField(default=list, blank=True, help_text="Restriction values.")
    error_message = models.TextField(blank=True)
    stolen_reported = models.BooleanField(default=False)
    transactions = models.JSONField(
        default=list, blank=True,
        help_text="[{tx_id, occurred, kind, amount, counterparty}] as the applicant typed them.",
    )
    other_notes = models.TextField(blank=True)

    redo_items = models.JSONField(
        default=list, blank=True, help_text="[{kind, reason}] the reviewer asked to redo."
    )
    risk_factors = models.JSONField(default=list, blank=True)
    risk_score = models.PositiveSmallIntegerField(default=0)
    high_risk = models.BooleanField(default=False)
    review_round = models.PositiveSmallIntegerField(
        default=1, help_text="Incremented on every resubmission; approvals count per round."
    )

    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    unlocked_at = models.DateTimeField(null=True, blank=True)
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["status", "updated_at"])]

    def __str__(self) -> str:
        return f"unlock application {self.pk} ({self.status})"

    @property
    def redo_kinds(self) -> list[str]:
        return [str(item.get("kind")) for item in self.redo_items]

    def mark_redone(self, kind: str, done: bool = True) -> None:
        """Whether the item the reviewer asked for again has been given again (not saved)."""
        self.redo_items = [dict(item, uploaded=done) if item.get("kind") == kind else item
                           for item in self.redo_items]


class Evidence(models.Model):
    application = models.ForeignKey(UnlockApplication, on_delete=models.CASCADE,
                                    related_name="evidence")
    kind = models.CharField(max_length=24, choices=EvidenceKind.choices)
    file = models.FileField(upload_to="evidence/%Y/%m/", blank=True)
    preview = models.FileField(upload_to="evidence/previews/%Y/%m/", blank=True)
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, db_index=True)
    fingerprint = models.CharField(
        max_length=16, blank=True, db_index=True,
        help_text="64-bit difference hash of the image; kept after purge to spot reused images.",
    )
    original_name = models.CharField(max_length=200, blank=True)
    uploaded_at = models.DateTimeField(default=timezone.now)
    superseded_at = models.DateTimeField(null=True, blank=True)
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["application_id", "kind", "uploaded_at"]
        indexes = [models.Index(fields=["application", "kind", "superseded_at"])]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None and self.purged_at is None

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class ReasonTemplate(models.Model):
    """A reason a reviewer picks instead of typing; the customer reads it in their language."""

    code = models.SlugField(max_length=48, unique=True)
    decision = models.CharField(max_length=16, choices=DecisionKind.choices)
    evidence_kind = models.CharField(max_length=24, choices=EvidenceKind.choices, blank=True)
    text_zh = models.TextField()
    text_en = models.TextField()
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["decision", "code"]

    def __str__(self) -> str:
        return self.code

    def text(self, language: str) -> str:
        return self.text_zh if language.startswith("zh") else self.text_en


class ReviewDecision(models.Model):
    application = models.ForeignKey(UnlockApplication, on_delete=models.CASCADE,
                                    related_name="decisions")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="unlock_decisions")
    kind = models.CharField(max_length=16, choices=DecisionKind.choices)
    reasons = models.ManyToManyField(ReasonTemplate, blank=True)
    items = models.JSONField(default=list, blank=True, help_text="Evidence kinds to redo.")
    note = models.TextField(blank=True, help_text="Internal; never shown to the customer.")
    round = models.PositiveSmallIntegerField(
        default=1, help_text="Review round: a new round starts on every resubmission."
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            # One reviewer cannot both approve and confirm the same round (four eyes).
            models.UniqueConstraint(
                fields=["application", "round", "reviewer"],
                condition=Q(kind__in=["approve", "confirm"]),
                name="uniq_unlock_approval_per_reviewer_round",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} by {self.reviewer_id}"

    @property
    def item_labels(self) -> list[str]:
        return [redo_label(item) for item in self.items]
