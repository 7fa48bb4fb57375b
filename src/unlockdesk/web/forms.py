from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from unlockdesk.accounts.identifiers import normalize_contact_address
from unlockdesk.tickets.models import Status


class SignInForm(forms.Form):
    address = forms.CharField(
        label=_("Registered email or phone number"), max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )

    def clean_address(self) -> tuple[str, str]:
        try:
            return normalize_contact_address(self.cleaned_data["address"])
        except ValidationError as exc:
            raise ValidationError(
                _("Enter a valid email address or phone number (with country code).")
            ) from exc


class CodeForm(forms.Form):
    code = forms.RegexField(
        label=_("6-digit code"), regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("The code has 6 digits.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code",
                                      "autofocus": True}),
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class TicketForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    text = forms.CharField(label=_("Describe what happened"), max_length=20000,
                           widget=forms.Textarea(attrs={"rows": 6}))
    client_id = forms.UUIDField(widget=forms.HiddenInput)


class CustomerReplyForm(forms.Form):
    text = forms.CharField(label=_("Your message"), max_length=20000,
                           widget=forms.Textarea(attrs={"rows": 4}))
    client_id = forms.UUIDField(widget=forms.HiddenInput)


class AgentReplyForm(forms.Form):
    text = forms.CharField(label=_("Reply"), max_length=20000,
                           widget=forms.Textarea(attrs={"rows": 5}))
    internal = forms.BooleanField(label=_("Internal note (not sent to the customer)"),
                                  required=False)
    override_guard = forms.BooleanField(required=False, widget=forms.HiddenInput)
    client_id = forms.UUIDField(widget=forms.HiddenInput)


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Status.choices)


# --- satisfaction survey (reports) ----------------------------------------------------------

class RatingForm(forms.Form):
    """The customer's answer to the satisfaction survey: 1 to 5 and an optional comment."""

    rating = forms.TypedChoiceField(
        label=_("How satisfied are you with our help?"), coerce=int, widget=forms.RadioSelect,
        choices=[(5, _("5 · Excellent")), (4, _("4 · Good")), (3, _("3 · Fair")),
                 (2, _("2 · Poor")), (1, _("1 · Very poor"))],
        error_messages={"required": _("Choose a rating from 1 to 5."),
                        "invalid_choice": _("Choose a rating from 1 to 5.")},
    )
    comment = forms.CharField(
        label=_("Anything to add? (optional; never write passwords or codes here)"),
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
    )
