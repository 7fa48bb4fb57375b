from django import forms
from django.utils.translation import gettext_lazy as _

from unlockdesk.safety.models import ContactKind


class VerifyForm(forms.Form):
    platform = forms.ChoiceField(
        label=_("Where did you see it?"), required=False, initial="",
        choices=[("", _("Anywhere (link, email, phone, 工号 …)")), (ContactKind.TELEGRAM, "Telegram"),
                 (ContactKind.X, "X (Twitter)"), (ContactKind.FACEBOOK, "Facebook")],
    )
    value = forms.CharField(
        label=_("Link, email address, phone number, social media handle or agent number (工号)"),
        max_length=300,
        widget=forms.TextInput(attrs={"placeholder": "https://…  support@…  +86…  @…  A1001",
                                      "autocomplete": "off"}),
    )


class AntiPhishingForm(forms.Form):
    code = forms.CharField(label=_("Anti-phishing code"), min_length=4, max_length=20,
                           help_text=_("4 to 20 characters, no spaces. Every official email will "
                                       "show it; an email without it is not from us."))


class FreezeForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, freeze my account now (login, trading and withdrawals)"), required=True)


class ReportForm(forms.Form):
    value = forms.CharField(label=_("The suspicious link, email address, phone number, handle or "
                                    "agent number"), max_length=300)
    description = forms.CharField(label=_("What happened? (never include passwords or codes)"),
                                  widget=forms.Textarea(attrs={"rows": 4}), max_length=4000,
                                  required=False)
