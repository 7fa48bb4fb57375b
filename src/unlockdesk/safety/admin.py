"""Admin for the security team's data: the registry, reports, the blocklist, the audit log.

Registry and blocklist values are normalised on save exactly as the verifier classifies input,
and every change to them is audited; audit entries themselves are read-only here.
"""

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from unlockdesk.safety import audit
from unlockdesk.safety.models import AuditEntry, BlockedContact, ContactKind, OfficialChannel, ScamReport
from unlockdesk.safety.verifier import registry_value


class _NormalisedValueForm(forms.ModelForm):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, value = data.get("kind"), data.get("value")
        if kind and value:
            try:
                data["value"] = registry_value(ContactKind(kind), value)
            except forms.ValidationError as exc:
                self.add_error("value", exc)
        return data


class _AuditedAdmin(admin.ModelAdmin):
    """Registry and blocklist changes land in the audit log next to reveals and freezes."""

    def _record(self, request: HttpRequest, obj: Model, action: str) -> None:
        audit.record(actor=audit.actor_of(request.user), action=action,
                     target=f"{obj._meta.model_name}:{obj.pk}", value=str(obj),
                     ip=request.META.get("REMOTE_ADDR") or None)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        self._record(request, obj, f"{obj._meta.model_name}.{'change' if change else 'add'}")

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        self._record(request, obj, f"{obj._meta.model_name}.delete")
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            self._record(request, obj, f"{obj._meta.model_name}.delete")
        super().delete_queryset(request, queryset)


@admin.register(OfficialChannel)
class OfficialChannelAdmin(_AuditedAdmin):
    form = _NormalisedValueForm
    list_display = ("kind", "value", "label", "active", "created_at")
    readonly_fields = ("created_at",)
    list_filter = ("kind", "active")
    search_fields = ("value", "label")


@admin.register(BlockedContact)
class BlockedContactAdmin(_AuditedAdmin):
    form = _NormalisedValueForm
    list_display = ("kind", "value", "reason", "report", "created_at")
    readonly_fields = ("created_at",)
    list_filter = ("kind",)
    search_fields = ("value", "reason")
    raw_id_fields = ("report",)


@admin.register(ScamReport)
class ScamReportAdmin(admin.ModelAdmin):
    """Read-only: reports are decided in the console's security queue, where it is audited."""

    list_display = ("created_at", "kind", "value", "verdict", "status", "handled_by")
    list_filter = ("status", "kind")
    search_fields = ("value",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "actor", "action", "target")
    list_filter = ("action",)
    search_fields = ("actor", "target")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
