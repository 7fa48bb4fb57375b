from django.contrib import admin
from django.http import HttpRequest

from unlockdesk.intake.mail.models import MailboxCursor


@admin.register(MailboxCursor)
class MailboxCursorAdmin(admin.ModelAdmin):
    """Read-only: how far each IMAP mailbox has been read (the poller alone moves it)."""

    list_display = ("mailbox", "uidvalidity", "last_uid", "updated_at")
    readonly_fields = ("mailbox", "uidvalidity", "last_uid", "updated_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
