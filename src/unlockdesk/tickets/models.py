"""Tickets (工单), contacts, messages, attachments, the timeline, queues, SLA policies, macros."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from unlockdesk.accounts.identifiers import mask_email, mask_phone
from unlockdesk.accounts.types import LockReason
from unlockdesk.safety.services import guard_macro
from unlockdesk.tickets import labels
from unlockdesk.tickets.types import Channel, IdentityKind


class Status(models.TextChoices):
    NEW = "new", _("New")
    OPEN = "open", pgettext_lazy("ticket status", "Open")
    WAITING_CUSTOMER = "waiting_customer", _("Waiting on customer")
    WAITING_US = "waiting_us", _("Waiting on us")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


class Priority(models.IntegerChoices):
    URGENT = 1, "P1"
    HIGH = 2, "P2"
    NORMAL = 3, "P3"
    LOW = 4, "P4"


class Category(models.TextChoices):
    STOLEN_ACCOUNT = "stolen_account", _("Stolen account")
    FRAUD = "fraud", _("Fraud or scam")
    ACCOUNT_LOCKED = "account_locked", _("Account locked")
    WITHDRAWAL = "withdrawal", _("Withdrawal")
    DEPOSIT = "deposit", _("Deposit")
    KYC = "kyc", _("Identity verification (KYC)")
    SECURITY = "security", _("Security settings")
    OTHER = "other", _("Other question")


class Direction(models.TextChoices):
    INBOUND = "in", _("From customer")
    OUTBOUND = "out", _("To customer")
    NOTE = "note", _("Internal note")


class Delivery(models.TextChoices):
    NOT_APPLICABLE = "n/a", "n/a"
    PENDING = "pending", _("Sending")
    SENT = "sent", pgettext_lazy("delivery status", "Sent")
    FAILED = "failed", pgettext_lazy("delivery status", "Failed")


class Queue(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=64)
    agents = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="queues",
        help_text="Agents who work this queue. An agent in any queue sees only their queues' "
                  "tickets; supervisors and agents in no queue see every queue.",
    )

    def __str__(self) -> str:
        return labels.queue_label(self.slug, self.name)


class Contact(models.Model):
    """One person, however many channel identities they write from."""

    display_name = models.CharField(max_length=128, blank=True)
    language = models.CharField(max_length=8, default="zh-hans")
    account = models.ForeignKey(
        "accounts.ExchangeAccount", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="contacts", help_text="Set only when the contact proved an account address.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.display_name or f"contact {self.pk}"


class ContactIdentity(models.Model):
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="identities")
    kind = models.CharField(max_length=16, choices=IdentityKind.choices)
    value = models.CharField(max_length=254)
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "value"], name="uniq_identity_kind_value")
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.masked}"

    @property
    def masked(self) -> str:
        """What the console shows by default: enough to recognise, not to copy."""
        if self.kind == IdentityKind.EMAIL:
            return mask_email(self.value)
        if self.kind == IdentityKind.PHONE:
            return mask_phone(self.value)
        return self.value[:3] + "***" if len(self.value) > 3 else "***"


class SlaPolicy(models.Model):
    priority = models.IntegerField(choices=Priority.choices, unique=True)
    first_response_minutes = models.PositiveIntegerField()
    resolution_minutes = models.PositiveIntegerField()

    class Meta:
        verbose_name = "SLA policy"
        verbose_name_plural = "SLA policies"

    def __str__(self) -> str:
        return f"{Priority(self.priority).label} SLA"


class Tag(models.Model):
    """A label agents and integrations put on tickets (vip, incident-1206, 大客户): lower case,
    no spaces; see tickets.tags for the rule."""

    name = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Ticket(models.Model):
    number = models.CharField(max_length=16, unique=True)
    subject = models.CharField(max_length=255)
    category = models.CharField(max_length=24, choices=Category.choices, default=Category.OTHER)
    priority = models.IntegerField(choices=Priority.choices, default=Priority.NORMAL)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    channel = models.CharField(max_length=16, choices=Channel.choices)
    language = models.CharField(max_length=8, default="zh-hans")
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="tickets")
    account = models.ForeignKey(
        "accounts.ExchangeAccount", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="tickets",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="assigned_tickets",
    )
    queue = models.ForeignKey(Queue, null=True, blank=True, on_delete=models.SET_NULL)
    flags = models.JSONField(default=list, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="tickets")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)
    first_response_due = models.DateTimeField(null=True, blank=True)
    first_response_at = models.DateTimeField(null=True, blank=True)
    resolution_due = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    sla_breached = models.BooleanField(default=False)
    last_seq = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["priority", "-updated_at"]
        # The inbox reads one priority at a time, newest first, resuming after (updated_at, id)
        # (keyset pagination): each view has an index that starts with its filter and ends
        # with that order, so a page costs the same at page 1 and page 10,000.
        indexes = [
            models.Index(fields=["status", "priority", "updated_at", "id"],
                         name="ticket_status_keyset"),
            models.Index(fields=["channel", "status"]),
            models.Index(fields=["priority", "updated_at", "id"], name="ticket_all_keyset"),
            # Search candidates: the newest matches first, ties on updated_at broken by id.
            models.Index(fields=["updated_at", "id"], name="ticket_updated_keyset"),
            models.Index(fields=["priority", "updated_at", "id"], name="ticket_open_keyset",
                         condition=~Q(status__in=["resolved", "closed"])),
            models.Index(fields=["channel", "priority", "updated_at", "id"],
                         name="ticket_channel_keyset"),
            models.Index(fields=["queue", "priority", "updated_at", "id"],
                         name="ticket_queue_keyset"),
            models.Index(fields=["assignee", "priority", "updated_at", "id"],
                         name="ticket_assignee_keyset"),
            # --- filters at a million tickets (perf) ---
            # The default view (open tickets) filtered by queue, channel or assignee: the page
            # and its bounded count read only open tickets' entries, in order.
            models.Index(fields=["queue", "priority", "updated_at", "id"],
                         name="ticket_open_queue_keyset", condition=~Q(status__in=["resolved", "closed"])),
            models.Index(fields=["channel", "priority", "updated_at", "id"],
                         name="ticket_open_channel_keyset", condition=~Q(status__in=["resolved", "closed"])),
            models.Index(fields=["assignee", "priority", "updated_at", "id"],
                         name="ticket_open_assignee_keyset", condition=~Q(status__in=["resolved", "closed"])),
            # A creation-date range: one priority's tickets in the range straight from the index
            # (updated_at, id and status ride along, so the page's ids need no table reads);
            # the bounded count reads the range alone.
            models.Index(fields=["priority", "created_at"], include=["updated_at", "id", "status"],
                         name="ticket_created_keyset"),
            models.Index(fields=["created_at"], include=["status"], name="ticket_created"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status not in (Status.RESOLVED, Status.CLOSED)


class Message(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages")
    seq = models.PositiveIntegerField(help_text="Position in the conversation, from 1.")
    direction = models.CharField(max_length=4, choices=Direction.choices)
    channel = models.CharField(max_length=16, choices=Channel.choices)
    external_id = models.CharField(max_length=255, blank=True)
    subject = models.CharField(max_length=255, blank=True)
    body_text = models.TextField()
    body_html = models.TextField(blank=True, help_text="Sanitised HTML, when the channel sent some.")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="messages",
    )
    contact = models.ForeignKey(Contact, null=True, blank=True, on_delete=models.SET_NULL)
    redactions = models.JSONField(default=list, blank=True, help_text="Kinds of secrets removed.")
    headers = models.JSONField(default=dict, blank=True)
    delivery = models.CharField(max_length=8, choices=Delivery.choices, default=Delivery.NOT_APPLICABLE)
    delivery_attempts = models.PositiveSmallIntegerField(default=0)
    delivery_error = models.CharField(max_length=255, blank=True)
    provider_id = models.CharField(max_length=255, blank=True)
    delivery_due_at = models.DateTimeField(
        null=True, blank=True, help_text="When the next attempt is due after a failed one.")
    delivery_lease_until = models.DateTimeField(
        null=True, blank=True, help_text="A worker is sending it until then; no other may.")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["seq"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "external_id"],
                condition=~Q(external_id=""),
                name="uniq_message_channel_external_id",
            ),
            models.UniqueConstraint(fields=["ticket", "seq"], name="uniq_message_ticket_seq"),
        ]
        # SQLite cannot use the partial unique index for `external_id = 'x'` (it does not infer
        # that this excludes ''), so every retry check scanned the whole table without this.
        indexes = [
            models.Index(fields=["channel", "external_id"], name="message_channel_external_id"),
            # The overdue-delivery sweep reads only the (few) pending messages.
            models.Index(fields=["created_at"], condition=Q(delivery="pending"), name="message_pending"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket.number}#{self.seq}"


class Attachment(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="attachments/%Y/%m/")
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    inline = models.BooleanField(default=False)

    def __str__(self) -> str:
        return self.filename


class EventKind(models.TextChoices):
    CREATED = "created", _("Ticket opened")
    MESSAGE = "message", _("Message")
    STATUS = "status", _("Status changed")
    ASSIGNED = "assigned", _("Assigned")
    PRIORITY = "priority", _("Priority changed")
    QUEUE = "queue", _("Moved to queue")
    ACCOUNT = "account", _("Account linked")
    FLAG = "flag", _("Flagged")
    SLA = "sla", _("SLA breached")
    DELIVERY = "delivery", _("Delivery")
    REPLY_BLOCKED = "reply_blocked", _("Reply blocked")
    UNLOCK = "unlock", _("Unlock application")
    LOCK_PLACED = "lock_placed", _("Account lock placed")
    LOCK_LIFTED = "lock_lifted", _("Account lock lifted")
    TAGS = "tags", _("Tags changed")


class TicketEvent(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=EventKind.choices)
    actor = models.CharField(max_length=64)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.ticket.number} {self.kind}"

    @property
    def new_label(self) -> str:
        """The new value of a status or priority change, as people read it."""
        if self.kind == EventKind.TAGS:
            return " ".join([*(f"+{t}" for t in self.data.get("added", [])),
                             *(f"−{t}" for t in self.data.get("removed", []))])
        new = self.data.get("new")
        if new is None:
            return ""
        if self.kind == EventKind.STATUS and new in Status.values:
            return str(Status(new).label)
        if self.kind == EventKind.PRIORITY and new in Priority.values:
            return str(Priority(new).label)
        if self.kind in (EventKind.LOCK_PLACED, EventKind.LOCK_LIFTED) and new in LockReason.values:
            return str(LockReason(new).label)
        return labels.value_label(self.kind, new) or str(new)

    @property
    def actor_label(self) -> str:
        return labels.actor_label(self.actor)


class Macro(models.Model):
    name = models.CharField(max_length=80, unique=True)
    body_zh = models.TextField()
    body_en = models.TextField()
    active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.clean()
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def clean(self) -> None:
        """A macro is a reply sent many times: it must pass the same outbound guard."""
        guard_macro(body_zh=self.body_zh, body_en=self.body_en)

    def body(self, language: str) -> str:
        return self.body_zh if language.startswith("zh") else self.body_en
