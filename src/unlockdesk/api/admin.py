"""Admins create API keys (the token is shown once, in the confirmation) and revoke them."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from unlockdesk.api import keys
from unlockdesk.api.models import ApiKey
from unlockdesk.api.scopes import Scope
from unlockdesk.safety.audit import actor_of


class ApiKeyForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(choices=Scope.choices, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = ApiKey
        fields = ("name", "agent", "scopes", "expires_at", "rate_per_minute")


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    form = ApiKeyForm
    list_display = ("name", "prefix", "agent", "scopes", "expires_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    actions = ["revoke"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # A key's powers are fixed once it exists: revoke it and create another.
        if obj is None:
            return ()
        return ("name", "agent", "scopes", "expires_at", "rate_per_minute", "prefix", "last_used_at",
                "revoked_at", "created_by", "created_at")

    def save_model(self, request: HttpRequest, obj: ApiKey, form: Any, change: bool) -> None:
        if change:
            return
        data = form.cleaned_data
        key, token = keys.create_key(name=data["name"], agent=data["agent"], scopes=data["scopes"],
                                     expires_at=data["expires_at"], rate_per_minute=data["rate_per_minute"],
                                     actor=actor_of(request.user))
        obj.pk = key.pk
        messages.warning(request, f"API key {key.name}: {token} — copy it now, it is shown only once.")

    @admin.action(description="Revoke the selected keys")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        for key in queryset:
            keys.revoke_key(key, actor=actor_of(request.user))
        self.message_user(request, f"{queryset.count()} revoked.")
