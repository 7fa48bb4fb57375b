from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from unlockdesk.staff.models import Agent, StaffNotification


@admin.register(Agent)
class AgentAdmin(UserAdmin):
    list_display = ("username", "display_name", "agent_number", "role", "is_active")
    list_filter = ("role", "is_active")
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("Desk", {"fields": ("agent_number", "display_name", "role", "language", "phone")}),
    )


@admin.register(StaffNotification)
class StaffNotificationAdmin(admin.ModelAdmin):
    list_display = ("recipient", "title", "kind", "created_at", "read_at")
    list_filter = ("kind",)
    readonly_fields = ("recipient", "kind", "key", "title", "body", "url", "created_at")
