from django.contrib import admin

from unlockdesk.tickets.models import (
    Contact,
    ContactIdentity,
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
admin.site.register(SlaPolicy)
admin.site.register(Macro)


# --- Routing: per-queue assignment rule (issue #12) ----------------------------------------
@admin.register(QueueRouting)
class QueueRoutingAdmin(admin.ModelAdmin):
    list_display = ("queue", "auto_assign", "by_language", "by_channel", "by_category")
    list_editable = ("auto_assign", "by_language", "by_channel", "by_category")
