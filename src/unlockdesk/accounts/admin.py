"""Admin for the exchange feed's signing keys (secrets are write-only: never shown back)."""

from django import forms
from django.contrib import admin

from unlockdesk.accounts.models import FeedKey


class FeedKeyForm(forms.ModelForm):
    secret = forms.CharField(widget=forms.PasswordInput(render_value=False), required=False,
                             help_text="Leave empty to keep the current secret.")

    class Meta:
        model = FeedKey
        fields = ["key_id", "secret", "active"]

    def clean_secret(self) -> str:
        secret: str = self.cleaned_data.get("secret") or ""
        if not secret and not (self.instance and self.instance.pk):
            raise forms.ValidationError("A new key needs a secret.")
        if secret and len(secret) < 32:
            raise forms.ValidationError("Use a secret of at least 32 characters.")
        return secret or self.instance.secret


@admin.register(FeedKey)
class FeedKeyAdmin(admin.ModelAdmin):
    form = FeedKeyForm
    list_display = ["key_id", "active", "created_at"]
    list_filter = ["active"]

