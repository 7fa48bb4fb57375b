from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from unlockdesk.staff.models import Agent, RoutingProfile, StaffNotification


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


# --- Routing: skills, capacity and presence (issue #12) ------------------------------------
@admin.register(RoutingProfile)
class RoutingProfileAdmin(admin.ModelAdmin):
    """Skills are codes: languages zh-hans / zh-hant / en, channels (email, chat, sms ...),
    categories (account_locked, withdrawal ...); presence is set by the agent's console."""

    list_display = ("agent", "presence", "chosen", "languages", "max_open_tickets", "max_chats",
                    "last_assigned_at")
    list_filter = ("presence",)
    readonly_fields = ("presence", "presence_changed_at", "last_seen_at", "last_assigned_at")
