"""The console's phone forms: logging a call by hand (a callback, or any call on a ticket)."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from unlockdesk.tickets.types import CallDirection, CallOutcome

LENGTH = re.compile(r"^\s*(?:(\d{1,3}):)?(\d{1,5})\s*$")


class LogCallForm(forms.Form):
    direction = forms.ChoiceField(label=_("Direction"), choices=CallDirection.choices,
                                  initial=CallDirection.OUTBOUND)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[
        (CallOutcome.ANSWERED, CallOutcome.ANSWERED.label),
        (CallOutcome.MISSED, CallOutcome.MISSED.label),
        (CallOutcome.VOICEMAIL, CallOutcome.VOICEMAIL.label),
    ])
    length = forms.CharField(label=_("Length (minutes:seconds)"), max_length=12, required=False,
                             widget=forms.TextInput(attrs={"placeholder": "3:20", "size": 6}))
    recording_ref = forms.CharField(label=_("Recording reference"), max_length=255,
                                    required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def clean_length(self) -> int:
        value = self.cleaned_data.get("length", "") or "0"
        match = LENGTH.match(value)
        if match is None:
            raise ValidationError(_("Write the length as minutes:seconds, e.g. 3:20."))
        minutes, seconds = match.groups()
        return int(minutes or 0) * 60 + int(seconds)
