from django.contrib import admin

from unlockdesk.verification.models import CheckResult


@admin.register(CheckResult)
class CheckResultAdmin(admin.ModelAdmin):
    list_display = ("application", "check_name", "status", "reason_code", "created_at")
    list_filter = ("check_name", "status")
    readonly_fields = [f.name for f in CheckResult._meta.fields]
