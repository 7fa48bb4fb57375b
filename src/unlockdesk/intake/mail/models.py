"""What the email channel keeps of its own: how far each IMAP mailbox has been read, and the
redacted original of each inbound mail."""

from django.db import models
from django.utils import timezone


class MailboxCursor(models.Model):
    """The highest IMAP UID already taken into the desk, per mailbox and UIDVALIDITY.

    Advanced only after the message's ingest has committed, so a crash re-reads (and the
    pipeline's idempotency turns the re-read into a duplicate) rather than loses mail.
    """

    mailbox = models.CharField(max_length=255, unique=True, help_text="user@host:port/folder")
    uidvalidity = models.BigIntegerField(default=0)
    last_uid = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.mailbox} @ {self.last_uid}"


class OriginalMail(models.Model):
    """The inbound mail as received, secrets redacted, attachment contents left out
    (intake.mail.original). Written in the same transaction as its message: both or neither."""

    message = models.OneToOneField("tickets.Message", on_delete=models.CASCADE, related_name="original_mail")
    eml = models.BinaryField(help_text="RFC 822 bytes, redacted")
    received_bytes = models.PositiveIntegerField(help_text="size of the mail as it arrived")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"original of message {self.message_id}"
