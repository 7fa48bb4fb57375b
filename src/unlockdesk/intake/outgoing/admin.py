"""Admins subscribe URLs to events and redeliver; the secret is shown once, when created."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from unlockdesk.intake.outgoing import services, signing
from unlockdesk.intake.outgoing.models import Attempt, Delivery, Subscription
from unlockdesk.integration_events import EventType


class SubscriptionForm(forms.ModelForm):
    url = forms.URLField(max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(choices=EventType.choices, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Subscription
        fields = ("url", "description", "events", "active")


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    form = SubscriptionForm
    list_display = ("url", "description", "active", "created_by", "created_at")
    list_filter = ("active",)

    def save_model(self, request: HttpRequest, obj: Subscription, form: Any, change: bool) -> None:
        if not change:
            obj.secret = signing.new_secret()
            obj.created_by = str(request.user)[:64]
        super().save_model(request, obj, form, change)
        if not change:
            messages.warning(request, f"Signing secret for {obj.url} (shown once, keep it safe): "
                                      f"{obj.secret}")


class AttemptInline(admin.TabularInline):
    model = Attempt
    extra = 0
    can_delete = False
    fields = ("number", "status_code", "error", "succeeded", "duration_ms", "retry_in_seconds",
              "attempted_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("webhook_id", "event_type", "subscription", "state", "attempts",
                    "last_status_code", "created_at", "delivered_at")
    list_filter = ("state", "event_type")
    readonly_fields = ("subscription", "webhook_id", "event_type", "payload", "state", "attempts",
                       "last_status_code", "next_attempt_at", "created_at", "delivered_at")
    inlines = [AttemptInline]
    actions = ["redeliver"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="Redeliver the selected deliveries")
    def redeliver(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        for delivery in queryset:
            services.redeliver(delivery)
        self.message_user(request, f"{queryset.count()} queued again.")
