"""The desk's people: agents with a 工号 (agent number) and a role."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    AGENT = "agent", _("Agent")
    REVIEWER = "reviewer", _("Reviewer")
    SUPERVISOR = "supervisor", _("Supervisor")
    ADMIN = "admin", _("Admin")


# Each role includes the powers of those before it.
ROLE_RANK = {Role.AGENT: 1, Role.REVIEWER: 2, Role.SUPERVISOR: 3, Role.ADMIN: 4}


class Agent(AbstractUser):
    """A staff member; customers never log in here (they use the portal's one-time code)."""

    agent_number = models.CharField(
        _("agent number (工号)"), max_length=16, unique=True, null=True, blank=True
    )
    display_name = models.CharField(_("display name"), max_length=64, blank=True)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.AGENT)
    language = models.CharField(max_length=8, default="zh-hans")
    phone = models.CharField(
        _("phone for click-to-call"), max_length=32, blank=True,
        help_text=_("The desk phone or mobile the voice provider rings first when this agent "
                    "calls a customer from the console."),
    )

    def has_role(self, role: Role) -> bool:
        """True when the agent's role is at least `role`; superusers have every role."""
        if self.is_superuser:
            return True
        return ROLE_RANK.get(Role(self.role), 0) >= ROLE_RANK[role]

    @property
    def public_name(self) -> str:
        """What customers see on every agent message: display name and 工号."""
        name = self.display_name or self.get_username()
        return f"{name} ({self.agent_number})" if self.agent_number else name

    def __str__(self) -> str:
        return self.public_name


# --- staff notifications (SLA escalation, issue #12) ---------------------------------------

class StaffNotification(models.Model):
    """Something one staff member must see (an SLA warning or breach, ...), kept until read so
    a supervisor who was offline finds it later. Written in the recipient's language."""

    recipient = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=32, help_text="What raised it, e.g. sla_breach.")
    key = models.CharField(max_length=128, help_text="One notification per recipient and key.")
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="uniq_notification_key"),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
            models.Index(fields=["recipient"], condition=models.Q(read_at__isnull=True),
                         name="notification_unread"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id}: {self.title}"


# --- Routing: presence, skills and capacity (issue #12) -----------------------------------


class Presence(models.TextChoices):
    ONLINE = "online", _("Online")
    AWAY = "away", _("Away")
    OFFLINE = "offline", _("Offline")


class RoutingProfile(models.Model):
    """What automatic assignment needs to know about an agent.

    `chosen` is what the agent picked in the console header; `presence` is what routing uses:
    the choice while a console is open, offline once the last console socket has closed or
    stopped beating. Skills are codes of the ticket's language, channel and category
    (zh-hans, chat, account_locked ...); a queue says which of the three it routes on.
    """

    agent = models.OneToOneField(Agent, on_delete=models.CASCADE, primary_key=True,
                                 related_name="routing")
    chosen = models.CharField(_("chosen presence"), max_length=8, choices=Presence.choices,
                              default=Presence.ONLINE)
    presence = models.CharField(max_length=8, choices=Presence.choices, default=Presence.OFFLINE)
    presence_changed_at = models.DateTimeField(null=True, blank=True)
    last_seen_at = models.DateTimeField(null=True, blank=True,
                                        help_text="Newest heartbeat of any console socket.")
    languages = models.JSONField(_("languages"), default=list, blank=True)
    channels = models.JSONField(_("channels"), default=list, blank=True)
    categories = models.JSONField(_("categories"), default=list, blank=True)
    max_open_tickets = models.PositiveSmallIntegerField(_("most open tickets"), default=20)
    max_chats = models.PositiveSmallIntegerField(_("most concurrent chats"), default=3)
    last_assigned_at = models.DateTimeField(null=True, blank=True,
                                            help_text="Round-robin: the longest idle goes next.")

    class Meta:
        verbose_name = _("routing profile")

    def __str__(self) -> str:
        return f"{self.agent} ({self.presence})"


class ConsoleSocket(models.Model):
    """One open console websocket; an agent with none (or only silent ones) is offline."""

    channel_name = models.CharField(max_length=255, unique=True)
    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="console_sockets")
    opened_at = models.DateTimeField()
    last_beat_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.agent} {self.channel_name}"
