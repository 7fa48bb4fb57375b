"""The pipeline's plain typed values: what every channel adapter produces and consumes."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Channel(models.TextChoices):
    WEB = "web", _("Web portal")
    CHAT = "chat", _("Live chat")
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone")
    TELEGRAM = "telegram", "Telegram"
    X = "x", "X"
    FACEBOOK = "facebook", "Facebook"


class IdentityKind(models.TextChoices):
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone")
    TELEGRAM = "telegram", "Telegram"
    X = "x", "X"
    FACEBOOK = "facebook", "Facebook"
    CHAT_VISITOR = "chat_visitor", _("Chat visitor")
    UID = "uid", "UID"


@dataclass(frozen=True)
class SenderIdentity:
    """Who sent an item, as the channel knows them. `verified` means proven (code, HMAC)."""

    kind: IdentityKind
    value: str
    display_name: str = ""
    verified: bool = False


@dataclass(frozen=True)
class InboundAttachment:
    filename: str
    content: bytes
    declared_type: str = ""
    inline: bool = False


@dataclass(frozen=True)
class RemoteFile:
    """A file the customer sent that stays on the platform until fetched (a Telegram file id,
    a Messenger or X media URL): the message is stored at once, the file later, by the task
    queue, through the channel adapter's `fetch_file`. `ref` is unique within the message."""

    ref: str
    filename: str = ""
    declared_type: str = ""
    declared_size: int = 0


@dataclass(frozen=True)
class FetchedFile:
    """What an adapter's `fetch_file` brought back from the platform."""

    filename: str
    content: bytes
    declared_type: str = ""


class FetchFailed(Exception):
    """The platform did not hand over a file; `retryable` says whether waiting can help."""

    def __init__(self, error: str, *, retryable: bool = True) -> None:
        super().__init__(error)
        self.error = error
        self.retryable = retryable


@dataclass(frozen=True)
class OutboundFile:
    """A file an agent attached to a reply, already checked (images are their clean copy)."""

    filename: str
    content: bytes
    content_type: str

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


@dataclass(frozen=True)
class InboundMessage:
    channel: Channel
    external_id: str
    sender: SenderIdentity
    text: str
    subject: str = ""
    html: str = ""
    attachments: tuple[InboundAttachment, ...] = ()
    references: tuple[str, ...] = ()
    received_at: datetime = field(default_factory=timezone.now)
    language: str = ""
    ticket_number: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    is_auto_reply: bool = False
    # An external id belongs to its sender: when another sender's item already holds it, the
    # item is stored under this id instead (email: a hash of the content), so nobody can
    # silence a customer by sending first with the id the customer's item will carry.
    alternate_id: str = ""
    # Store only on a ticket this item continues, else nothing (automatic mail).
    continues_only: bool = False
    # Files still on the platform: fetched and checked on the task queue after the message lands.
    remote_files: tuple[RemoteFile, ...] = ()


@dataclass(frozen=True)
class OutboundMessage:
    channel: Channel
    message_id: int
    ticket_number: str
    to: str
    text: str
    subject: str = ""
    html: str = ""
    agent_public_name: str = ""
    references: tuple[str, ...] = ()
    anti_phishing_code: str = ""
    language: str = "zh-hans"
    automatic: bool = False  # an acknowledgement nobody wrote (RFC 3834 Auto-Submitted in email)
    account_uid: str = ""  # the ticket's proven exchange account, if any
    files: tuple[OutboundFile, ...] = ()  # an agent's attached images and PDFs


@dataclass(frozen=True)
class DeliveryResult:
    delivered: bool
    provider_id: str = ""
    error: str = ""
    retryable: bool = True


# --- Phone: call log and callback queue (#17) ------------------------------------------------


class CallDirection(models.TextChoices):
    INBOUND = "in", pgettext_lazy("phone call", "Incoming")
    OUTBOUND = "out", pgettext_lazy("phone call", "Outgoing")


class CallOutcome(models.TextChoices):
    IN_PROGRESS = "", pgettext_lazy("phone call", "Calling")
    ANSWERED = "answered", pgettext_lazy("phone call", "Answered")
    MISSED = "missed", pgettext_lazy("phone call", "Missed")
    VOICEMAIL = "voicemail", pgettext_lazy("phone call", "Voicemail")
    CALLBACK_DONE = "callback_done", pgettext_lazy("phone call", "Callback done")


class CallbackReason(models.TextChoices):
    REQUEST = "request", _("Callback requested")
    FREEZE = "freeze", _("Emergency freeze")


class CallbackState(models.TextChoices):
    OPEN = "open", pgettext_lazy("callback", "Waiting")
    DONE = "done", pgettext_lazy("callback", "Called back")
