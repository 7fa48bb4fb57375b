"""Live-chat conversations: the socket-side state around a ticket's messages.

The messages themselves live in the ticket (tickets.Message, numbered by `seq`); a
conversation only records who the visitor is, which ticket the chat writes to, and where it
stands in the agents' queue.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from unlockdesk.tickets.types import IdentityKind


class State(models.TextChoices):
    BROWSING = "browsing", _("Looking for an answer")
    WAITING = "waiting", _("Waiting for an agent")
    ACTIVE = "active", _("With an agent")
    ENDED = "ended", _("Ended")


class Conversation(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    visitor = models.CharField(max_length=64, db_index=True,
                               help_text="Visitor id from the signed widget token.")
    identity_kind = models.CharField(max_length=16, choices=IdentityKind.choices)
    identity_value = models.CharField(max_length=254)
    verified = models.BooleanField(default=False)
    pending_kind = models.CharField(max_length=8, blank=True,
                                    help_text="Address a one-time code was sent to.")
    pending_value = models.CharField(max_length=254, blank=True)
    language = models.CharField(max_length=8, default="zh-hans")
    ticket = models.ForeignKey("tickets.Ticket", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="chats")
    state = models.CharField(max_length=12, choices=State.choices, default=State.BROWSING)
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="chats")
    queue = models.ForeignKey("tickets.Queue", null=True, blank=True, on_delete=models.SET_NULL)
    customer_sockets = models.IntegerField(default=0)
    customer_seen_at = models.DateTimeField(
        null=True, blank=True, help_text="Last sign of life from a customer socket (hello, ping).")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)
    waiting_since = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["state", "updated_at"])]

    def __str__(self) -> str:
        return f"chat {self.public_id}"

    @property
    def is_live(self) -> bool:
        return self.state in (State.WAITING, State.ACTIVE)
