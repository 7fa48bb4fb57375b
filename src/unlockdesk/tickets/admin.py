from django.contrib import admin

from unlockdesk.tickets.models import (
    BusinessCalendar,
    Contact,
    ContactIdentity,
    Holiday,
    Macro,
    Queue,
    QueueRouting,
    SlaPolicy,
    Ticket,
)


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    list_display = ("number", "subject", "status", "priority", "channel", "created_at")
    list_filter = ("status", "priority", "channel", "category")
    search_fields = ("number", "subject")
    readonly_fields = ("number", "contact", "account", "created_at")


class IdentityInline(admin.TabularInline):
    model = ContactIdentity
    extra = 0


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    inlines = [IdentityInline]
    list_display = ("id", "display_name", "account")


admin.site.register(Queue)


# --- SLA with business hours (issue #12) ---
class HolidayInline(admin.TabularInline):
    model = Holiday
    extra = 1


@admin.register(BusinessCalendar)
class BusinessCalendarAdmin(admin.ModelAdmin):
    inlines = [HolidayInline]
    list_display = ("name", "time_zone", "around_the_clock", "working_days", "opens_at", "closes_at")


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin):
    list_display = ("priority", "queue", "calendar", "first_response_minutes",
                    "next_response_minutes", "resolution_minutes", "warn_percent", "breach_action")
    list_filter = ("priority", "queue", "breach_action")
admin.site.register(Macro)


# --- Routing: per-queue assignment rule (issue #12) ----------------------------------------
@admin.register(QueueRouting)
class QueueRoutingAdmin(admin.ModelAdmin):
    list_display = ("queue", "auto_assign", "by_language", "by_channel", "by_category")
    list_editable = ("auto_assign", "by_language", "by_channel", "by_category")
