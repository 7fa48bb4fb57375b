"""Tickets (工单), contacts, messages, attachments, the timeline, queues, SLA policies, macros."""

from datetime import time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from unlockdesk.accounts.identifiers import mask_email, mask_phone
from unlockdesk.accounts.types import LockReason
from unlockdesk.safety.services import guard_macro
from unlockdesk.tickets import business_hours, labels, placeholders
from unlockdesk.tickets.types import (
    CallbackReason,
    CallbackState,
    CallDirection,
    CallOutcome,
    Channel,
    IdentityKind,
)


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


class BreachAction(models.TextChoices):
    NOTIFY = "notify", _("Notify supervisors only")
    RAISE_PRIORITY = "raise_priority", _("Raise the priority one step")
    MOVE_QUEUE = "move_queue", _("Move to another queue")


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
    """Targets for one priority, in one queue or (queue empty) every queue without its own
    policy, counted in the calendar's business hours (no calendar: around the clock)."""

    priority = models.IntegerField(choices=Priority.choices)
    queue = models.ForeignKey(
        Queue, null=True, blank=True, on_delete=models.CASCADE, related_name="sla_policies",
        help_text="Empty: the default for every queue without its own policy.",
    )
    calendar = models.ForeignKey(
        "BusinessCalendar", null=True, blank=True, on_delete=models.PROTECT,
        help_text="Business hours the targets count in. Empty: around the clock.",
    )
    first_response_minutes = models.PositiveIntegerField()
    next_response_minutes = models.PositiveIntegerField(
        null=True, blank=True,
        help_text="Reply to a customer's follow-up within this; empty: the first-response target.",
    )
    resolution_minutes = models.PositiveIntegerField()
    warn_percent = models.PositiveSmallIntegerField(
        default=80, validators=[MinValueValidator(1), MaxValueValidator(99)],
        help_text="Warn when this share of a target has passed.",
    )
    breach_action = models.CharField(max_length=16, choices=BreachAction.choices,
                                     default=BreachAction.NOTIFY)
    breach_queue = models.ForeignKey(
        Queue, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="Where a breached ticket moves when the action is 'move to queue'.",
    )

    class Meta:
        verbose_name = "SLA policy"
        verbose_name_plural = "SLA policies"
        constraints = [
            models.UniqueConstraint(fields=["priority", "queue"], name="uniq_sla_priority_queue"),
            models.UniqueConstraint(fields=["priority"], condition=Q(queue__isnull=True),
                                    name="uniq_sla_default_priority"),
        ]

    def __str__(self) -> str:
        where = str(self.queue) if self.queue_id else "default"
        return f"{Priority(self.priority).label} SLA ({where})"

    def clean(self) -> None:
        if self.breach_action == BreachAction.MOVE_QUEUE and not self.breach_queue_id:
            raise ValidationError({"breach_queue": _("Choose the queue a breached ticket moves to.")})


class Tag(models.Model):
    """A label agents and integrations put on tickets (vip, incident-1206, 大客户): lower case,
    no spaces; see tickets.tags for the rule."""

    name = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


# Statuses whose SLA clocks run (waiting on the customer pauses them); in this order, so the
# partial SLA indexes' predicate is the one tickets.inbox_conditions writes.
SLA_RUNNING = ["new", "open", "waiting_us"]
# The lowest rank of a resolved or closed ticket: open tickets are the ranks below it.
DONE_RANK = 20

# The inbox order, as one small number: waiting on us (0), on the customer (10), done (20);
# then the priority (P1 = 2 ... P4 = 8); then unassigned (+0) before assigned (+1). So an
# unassigned P1 comes first and anything waiting on the customer comes after all that waits on us.
INBOX_RANK = (
    Case(When(status__in=["resolved", "closed"], then=Value(20)),
         When(status="waiting_customer", then=Value(10)), default=Value(0))
    + F("priority") * Value(2)
    + Case(When(assignee__isnull=True, then=Value(0)), default=Value(1))
)


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
    # No index of their own: each of these four columns leads a composite index below, which
    # serves its lookups, and every message's write of the ticket row (updated_at changes, so
    # it is never a HOT update on PostgreSQL) inserted into every index of the table.
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="assigned_tickets", db_index=False,
    )
    queue = models.ForeignKey(Queue, null=True, blank=True, on_delete=models.SET_NULL, db_index=False)
    flags = models.JSONField(default=list, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="tickets")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    first_response_due = models.DateTimeField(null=True, blank=True)
    first_response_at = models.DateTimeField(null=True, blank=True)
    resolution_due = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    sla_breached = models.BooleanField(default=False)
    # SLA clocks (tickets.services.sla_clock keeps these in step with the ticket's SlaTargets).
    next_response_due = models.DateTimeField(null=True, blank=True)
    sla_warning_at = models.DateTimeField(null=True, blank=True)
    sla_paused_at = models.DateTimeField(
        null=True, blank=True, help_text="Clocks stopped while waiting on the customer.")
    last_seq = models.PositiveIntegerField(default=0)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_from",
        help_text="Set when this ticket was merged into another and closed.",
    )
    # What needs a person first (tickets.routing.inbox_rank): computed by the database, so
    # every write path keeps it right, and indexed with (updated_at, id) for the inbox's keyset.
    inbox_rank = models.GeneratedField(
        expression=INBOX_RANK, output_field=models.PositiveSmallIntegerField(), db_persist=True)

    class Meta:
        ordering = ["priority", "-updated_at"]
        # The inbox reads one rank at a time (INBOX_RANK: status group, priority, assigned),
        # newest first, resuming after (updated_at, id) (keyset pagination): each filter has an
        # index that starts with its column and the rank and ends with that order, so a page
        # costs the same at page 1 and page 10,000, and the open tickets (rank < 20) are one
        # range of each index, for the page and for the bounded count.
        indexes = [
            models.Index(fields=["channel", "status"]),
            # Search candidates: the newest matches first, ties on updated_at broken by id.
            models.Index(fields=["updated_at", "id"], name="ticket_updated_keyset"),
            # Reports: one queue's tickets opened in a date range (volume, response times).
            models.Index(fields=["queue", "created_at"], name="ticket_queue_created"),
            # Reports over every queue: a date range's tickets with the columns the charts group
            # and time (channel, category, priority, response and resolution), read from the
            # index alone on PostgreSQL instead of one table page per ticket.
            models.Index(fields=["created_at"], name="ticket_report_range", include=[
                "id", "queue", "channel", "category", "priority", "first_response_at",
                "first_response_due", "resolved_at", "resolution_due"]),
            # The backlog chart: open tickets only, by age and priority.
            models.Index(fields=["created_at"], include=["id", "priority", "queue"],
                         name="ticket_open_backlog", condition=~Q(status__in=["resolved", "closed"])),
            # The inbox order (routing): rank, newest first; all queues, and per queue.
            models.Index(fields=["inbox_rank", "updated_at", "id"], name="ticket_rank_keyset"),
            models.Index(fields=["queue", "inbox_rank", "updated_at", "id"],
                         name="ticket_queue_rank_keyset"),
            # --- the inbox's filters in rank order (perf2) ---
            models.Index(fields=["channel", "inbox_rank", "updated_at", "id"],
                         name="ticket_channel_rank_keyset"),
            models.Index(fields=["assignee", "inbox_rank", "updated_at", "id"],
                         name="ticket_assignee_rank_keyset"),
            models.Index(fields=["status", "inbox_rank", "updated_at", "id"],
                         name="ticket_status_rank_keyset"),
            # A creation-date range: one rank's tickets in the range straight from the index
            # (updated_at, id and status ride along, so the page's ids need no table reads);
            # the bounded count reads the range alone (ticket_created).
            models.Index(fields=["inbox_rank", "created_at"], include=["updated_at", "id", "status"],
                         name="ticket_rank_created"),
            models.Index(fields=["created_at"], include=["status"], name="ticket_created"),
            # The "SLA breaching within 1 h" condition (tickets.inbox_conditions): only running,
            # unbreached clocks, by due time; the few due soon, not every open ticket.
            models.Index(fields=["resolution_due"], name="ticket_sla_resolution_due",
                         condition=Q(status__in=SLA_RUNNING, sla_breached=False)),
            models.Index(fields=["first_response_due"], name="ticket_sla_first_due",
                         condition=Q(status__in=SLA_RUNNING, sla_breached=False,
                                     first_response_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status not in (Status.RESOLVED, Status.CLOSED)


class Message(models.Model):
    # No index of its own: the (ticket, seq) unique index below begins with it, and serves
    # every read by ticket. A second one only cost every stored message an index write.
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages", db_index=False)
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
    SLA_WARNING = "sla_warning", _("SLA warning")
    DELIVERY = "delivery", _("Delivery")
    REPLY_BLOCKED = "reply_blocked", _("Reply blocked")
    UNLOCK = "unlock", _("Unlock application")
    LOCK_PLACED = "lock_placed", _("Account lock placed")
    LOCK_LIFTED = "lock_lifted", _("Account lock lifted")
    TAGS = "tags", _("Tags changed")
    CSAT = "csat", _("Satisfaction rating")
    CALL = "call", _("Phone call")
    CALLBACK = "callback", _("Callback")
    MERGED = "merged", _("Tickets merged")
    SPLIT = "split", _("Message split out")
    UNASSIGNED = "unassigned", _("Unassigned")


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
    """A canned reply. Shared (no owner: kept by supervisors and admins) or one agent's own."""

    name = models.CharField(max_length=80)
    body_zh = models.TextField()
    body_en = models.TextField()
    active = models.BooleanField(default=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
        related_name="macros", help_text="Empty for a shared macro every agent may use.",
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="uniq_macro_owner_name"),
            models.UniqueConstraint(fields=["name"], condition=Q(owner__isnull=True),
                                    name="uniq_macro_shared_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.clean()
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def clean(self) -> None:
        """A macro is a reply sent many times: it must pass the same outbound guard, and hold
        only placeholders that exist (tickets.placeholders)."""
        guard_macro(body_zh=self.body_zh, body_en=self.body_en)
        errors = {}
        for field in ("body_zh", "body_en"):
            unknown = placeholders.unknown_in(getattr(self, field))
            if unknown:
                errors[field] = _("Unknown placeholder: %(names)s") % {
                    "names": ", ".join("{{" + name + "}}" for name in unknown)}
        if errors:
            raise ValidationError(errors)

    def body(self, language: str) -> str:
        return self.body_zh if language.startswith("zh") else self.body_en


# --- Phone: call log and callback queue (#17) ------------------------------------------------


class CallbackRequest(models.Model):
    """A customer waiting for our call: due by priority, worked from the callback queue and
    closed by logging the call that answered it."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="callbacks")
    number = models.CharField(max_length=32, help_text="Normalised phone number to call.")
    reason = models.CharField(max_length=16, choices=CallbackReason.choices,
                              default=CallbackReason.REQUEST)
    priority = models.IntegerField(choices=Priority.choices, default=Priority.NORMAL)
    language = models.CharField(max_length=8, default="zh-hans")
    state = models.CharField(max_length=8, choices=CallbackState.choices, default=CallbackState.OPEN)
    requested_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField()
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="assigned_callbacks",
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    escalated_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    source_call_id = models.CharField(
        max_length=100, blank=True, help_text="The provider's call that asked for it (idempotency).")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source_call_id"], condition=~Q(source_call_id=""),
                                    name="uniq_callback_source_call"),
        ]
        # The queue reads the open freezes, then the other open ones, each in due-time order.
        indexes = [models.Index(fields=["state", "due_at"], name="callback_state_due"),
                   models.Index(fields=["state", "reason", "due_at"], name="callback_state_reason_due")]

    def __str__(self) -> str:
        return f"callback {self.pk} ({self.ticket_id})"

    @property
    def masked_number(self) -> str:
        return mask_phone(self.number)

    @property
    def is_overdue(self) -> bool:
        return self.state == CallbackState.OPEN and self.due_at < timezone.now()


class Call(models.Model):
    """One phone call with a customer, in or out: the call log of a ticket and of a contact."""

    ticket = models.ForeignKey(Ticket, null=True, blank=True, on_delete=models.CASCADE,
                               related_name="calls")
    contact = models.ForeignKey(Contact, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="calls")
    callback = models.ForeignKey(CallbackRequest, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="calls")
    direction = models.CharField(max_length=4, choices=CallDirection.choices)
    number = models.CharField(max_length=32, help_text="The customer's number, normalised.")
    started_at = models.DateTimeField(default=timezone.now)
    duration_seconds = models.PositiveIntegerField(default=0)
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="calls")
    outcome = models.CharField(max_length=16, choices=CallOutcome.choices, blank=True)
    recording_ref = models.CharField(max_length=255, blank=True,
                                     help_text="The provider's recording reference (SID or URL).")
    provider_call_id = models.CharField(max_length=64, blank=True)
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["provider_call_id"], condition=~Q(provider_call_id=""),
                                    name="uniq_call_provider_id"),
        ]
        indexes = [models.Index(fields=["provider_call_id"], name="call_provider_id")]

    def __str__(self) -> str:
        return f"call {self.pk} {self.direction} {self.outcome or 'in progress'}"

    @property
    def masked_number(self) -> str:
        return mask_phone(self.number)

    @property
    def duration_label(self) -> str:
        minutes, seconds = divmod(self.duration_seconds, 60)
        return f"{minutes}:{seconds:02d}"


# --- SLA with business hours (issue #12) ---------------------------------------------------

def validate_time_zone(value: str) -> None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(_("Unknown time zone: %(zone)s"), params={"zone": value}) from exc


def validate_working_days(value: str) -> None:
    if not value or any(c not in "1234567" for c in value) or len(set(value)) != len(value):
        raise ValidationError(_("Working days are ISO weekday digits, 1 Monday to 7 Sunday, "
                                "each once (e.g. 12345)."))


class BusinessCalendar(models.Model):
    """When the desk works: SLA targets count only these hours."""

    name = models.CharField(max_length=64, unique=True)
    time_zone = models.CharField(max_length=64, default="Asia/Shanghai",
                                 validators=[validate_time_zone])
    around_the_clock = models.BooleanField(default=False, help_text="24x7: ignore the hours below.")
    working_days = models.CharField(
        max_length=7, default="12345", validators=[validate_working_days],
        help_text="ISO weekday digits: 1 Monday ... 7 Sunday; 12345 is Monday to Friday.")
    opens_at = models.TimeField(default=time(9))
    closes_at = models.TimeField(default=time(21), help_text="00:00 means midnight (end of day).")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.closes_at != time(0) and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("Closing time must be after opening time.")})

    def as_calendar(self) -> business_hours.Calendar:
        """The pure calendar the arithmetic works on (reads the holidays: one query)."""
        if self.around_the_clock:
            return business_hours.Calendar(time_zone=self.time_zone, around_the_clock=True)
        return business_hours.Calendar(
            time_zone=self.time_zone,
            working_days=frozenset(int(d) - 1 for d in self.working_days),
            opens=self.opens_at, closes=self.closes_at,
            holidays=frozenset(self.holidays.values_list("date", flat=True)),
        )


class Holiday(models.Model):
    calendar = models.ForeignKey(BusinessCalendar, on_delete=models.CASCADE, related_name="holidays")
    date = models.DateField()
    name = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["calendar", "date"], name="uniq_holiday_day")]

    def __str__(self) -> str:
        return f"{self.date} {self.name}".strip()


class SlaTargetKind(models.TextChoices):
    FIRST_RESPONSE = "first_response", _("first response")
    NEXT_RESPONSE = "next_response", _("next response")
    RESOLUTION = "resolution", pgettext_lazy("SLA target", "resolution")


class SlaTarget(models.Model):
    """One running SLA clock of a ticket. `next_check_at` is when escalation must look at it
    next (warning, then breach); it is empty once met, breached or while paused, so the
    periodic task reads only the rows that need it through one partial index."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="sla_targets")
    kind = models.CharField(max_length=16, choices=SlaTargetKind.choices)
    policy = models.ForeignKey(SlaPolicy, null=True, blank=True, on_delete=models.SET_NULL)
    minutes = models.PositiveIntegerField(help_text="The target, in business minutes.")
    warn_percent = models.PositiveSmallIntegerField(default=80)
    started_at = models.DateTimeField()
    warn_at = models.DateTimeField()
    due_at = models.DateTimeField()
    next_check_at = models.DateTimeField(null=True, blank=True)
    met_at = models.DateTimeField(null=True, blank=True)
    warned_at = models.DateTimeField(null=True, blank=True)
    breached_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at"]
        constraints = [
            models.UniqueConstraint(fields=["ticket", "kind"], condition=Q(met_at__isnull=True),
                                    name="uniq_sla_target_running"),
        ]
        indexes = [
            models.Index(fields=["next_check_at"], condition=Q(next_check_at__isnull=False),
                         name="sla_target_next_check"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.kind} due {self.due_at:%Y-%m-%d %H:%M}"


# ---- Agent tools: saved inbox views and bulk actions (issue 12) ----


class SavedView(models.Model):
    """A named inbox filter: an agent's own, or shared with everyone (no owner)."""

    name = models.CharField(max_length=60)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
        related_name="saved_views", help_text="Empty for a view every agent sees.",
    )
    query = models.CharField(max_length=1000, help_text="The inbox filters, as a query string.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="uniq_savedview_owner_name"),
            models.UniqueConstraint(fields=["name"], condition=Q(owner__isnull=True),
                                    name="uniq_savedview_shared_name"),
        ]

    def __str__(self) -> str:
        return self.name


class BulkJobState(models.TextChoices):
    QUEUED = "queued", _("Waiting to run")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")


class BulkJob(models.Model):
    """A bulk action on every ticket matching a filter, too big for one request: the task queue
    works through it in batches (by id, up to `last_id` as seen at confirmation) and records how
    far it got, so a worker that dies resumes where the last batch committed."""

    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="bulk_jobs")
    query = models.CharField(max_length=1000)
    action = models.CharField(max_length=16)
    value = models.CharField(max_length=64)
    total = models.PositiveIntegerField()
    last_id = models.BigIntegerField(help_text="The highest ticket id matching at confirmation.")
    cursor = models.BigIntegerField(default=0, help_text="Tickets up to this id are done.")
    changed = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    state = models.CharField(max_length=8, choices=BulkJobState.choices, default=BulkJobState.QUEUED)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"bulk {self.action} #{self.pk}"


# --- Routing: how a queue assigns its tickets (issue #12) ---------------------------------


class QueueRouting(models.Model):
    """A queue's assignment rule. With `auto_assign`, each new ticket goes round-robin to an
    online agent of the queue with free capacity and the skills the queue routes on (the
    ticket's language, channel and/or category); with none free it waits in the queue."""

    queue = models.OneToOneField(Queue, on_delete=models.CASCADE, primary_key=True,
                                 related_name="routing")
    auto_assign = models.BooleanField(_("assign automatically"), default=True)
    by_language = models.BooleanField(_("route on language"), default=True)
    by_channel = models.BooleanField(_("route on channel"), default=False)
    by_category = models.BooleanField(_("route on category"), default=False)

    class Meta:
        verbose_name = _("queue routing")

    def __str__(self) -> str:
        return f"{self.queue} routing"


# --- pictures and files on social channels (issue #17) ---------------------------------------


class RemoteFileState(models.TextChoices):
    PENDING = "pending", _("Being fetched")
    STORED = "stored", _("Stored")
    REFUSED = "refused", _("Refused by the file checks")
    FAILED = "failed", _("Could not be fetched")


class RemoteAttachment(models.Model):
    """A file a customer sent on Telegram, Messenger or X, still on the platform when the
    message was stored. Fetched on the task queue; `(message, ref)` is unique, so a retried
    webhook or a rerun task never stores the file twice, and a stored one is never fetched again.
    """

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="remote_files")
    ref = models.CharField(max_length=1000, help_text="The platform's file id or media URL.")
    filename = models.CharField(max_length=255, blank=True)
    declared_type = models.CharField(max_length=100, blank=True)
    declared_size = models.PositiveBigIntegerField(default=0)
    state = models.CharField(max_length=8, choices=RemoteFileState.choices,
                             default=RemoteFileState.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=255, blank=True)
    attachment = models.OneToOneField(Attachment, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="remote")
    lease_until = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True,
                                  help_text="When the next try is due after a failure.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["message", "ref"], name="remote_file_once_per_message"),
        ]
        indexes = [models.Index(fields=["state", "due_at"], name="remote_file_pending")]

    def __str__(self) -> str:
        return f"{self.message_id}:{self.filename or self.ref[:40]}"
