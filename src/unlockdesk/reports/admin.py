from django.contrib import admin
from django.http import HttpRequest

from unlockdesk.reports.models import CsatSurvey


@admin.register(CsatSurvey)
class CsatSurveyAdmin(admin.ModelAdmin):
    """Read only: an answer is the customer's, and the survey is made by the resolve."""

    list_display = ["ticket", "channel", "queue", "agent", "rating", "asked_at", "answered_at"]
    list_filter = ["rating", "channel", "queue"]
    exclude = ["nonce"]  # with the site key it would make a working link
    readonly_fields = ["ticket", "channel", "queue", "agent", "asked_at", "expires_at", "rating",
                       "comment", "comment_redactions", "answered_at", "answered_via"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
