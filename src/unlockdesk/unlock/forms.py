"""Wizard and reviewer forms: they parse and give field-level messages; services re-check."""

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from unlockdesk.accounts.types import LockReason, Restriction, TransactionKind
from unlockdesk.unlock.models import ReasonTemplate
from unlockdesk.unlock.types import REDO_CHOICES, DecisionKind, EvidenceKind
from unlockdesk.verification.idnumbers import id_number_problem, problem_message


class AccountStepForm(forms.Form):
    reference = forms.CharField(
        label=_("UID, or the email / phone number registered on the account"), max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    kyc_name = forms.CharField(label=_("Real name (as on your ID card)"), max_length=64,
                               widget=forms.TextInput(attrs={"autocomplete": "name"}))
    id_number = forms.CharField(
        label=_("ID card number"), max_length=32,
        help_text=_("18 characters; the last one may be X."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text", "spellcheck": "false"}),
    )

    def clean_id_number(self) -> str:
        value: str = self.cleaned_data["id_number"]
        problem = id_number_problem(value)
        if problem:
            raise forms.ValidationError(problem_message(problem), code=problem)
        return value


class ProblemStepForm(forms.Form):
    lock_reason = forms.ChoiceField(
        label=_("The lock reason the app or website shows"), required=False,
        choices=[("", _("I don't know")), *list(LockReason.choices)], widget=forms.RadioSelect,
    )
    happened_at = forms.DateTimeField(
        label=_("When did it happen?"), required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
    )
    blocked = forms.MultipleChoiceField(
        label=_("What is blocked?"), required=False, choices=Restriction.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    error_message = forms.CharField(
        label=_("The error message or code you see"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    stolen_reported = forms.BooleanField(
        label=_("I think someone else took over my account"), required=False,
    )


class TransactionRowForm(forms.Form):
    tx_id = forms.CharField(label=_("Transaction ID or hash"), required=False, max_length=130)
    occurred = forms.CharField(label=_("Time"), required=False, max_length=40,
                               widget=forms.TextInput(attrs={"placeholder": "2026-11-20 14:30"}))
    kind = forms.ChoiceField(label=_("Type"), required=False,
                             choices=[("", "—"), *list(TransactionKind.choices)])
    amount = forms.DecimalField(label=_("Amount"), required=False, max_digits=30, decimal_places=8)
    asset = forms.CharField(label=_("Currency"), required=False, max_length=16, widget=forms.TextInput(
        attrs={"placeholder": "USDT", "autocapitalize": "characters"}))
    counterparty = forms.CharField(label=_("Counterparty"), required=False, max_length=130)


TransactionFormSet = forms.formset_factory(TransactionRowForm, extra=2, max_num=20)


class OtherStepForm(forms.Form):
    notes = forms.CharField(
        label=_("Anything else the reviewer should know (optional)"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class UploadForm(forms.Form):
    kind = forms.ChoiceField(choices=EvidenceKind.choices)
    file = forms.FileField(allow_empty_file=True)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), widget=forms.RadioSelect,
        choices=[(k, label) for k, label in DecisionKind.choices if k != DecisionKind.CONFIRM],
    )
    items = forms.MultipleChoiceField(label=_("Items to upload again"), required=False,
                                      choices=REDO_CHOICES, widget=forms.CheckboxSelectMultiple)
    reasons = forms.ModelMultipleChoiceField(
        label=_("Reasons the customer reads"), required=False,
        queryset=ReasonTemplate.objects.filter(active=True), widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(label=_("Internal note (never shown to the customer)"), required=False,
                           max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    # Ids of failed check results the reviewer ticked "I checked this" for; the service checks
    # them against the failed checks of the application.
    acknowledged = forms.TypedMultipleChoiceField(required=False, coerce=int, choices=[])

    def __init__(self, *args: Any, failed: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["acknowledged"].choices = [(r.pk, r.label) for r in failed]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == DecisionKind.REQUEST_INFO and not data.get("items"):
            self.add_error("items", _("Choose at least one item the customer must upload again."))
        if data.get("decision") == DecisionKind.REJECT and not data.get("reasons"):
            self.add_error("reasons", _("Choose the reason the customer will read."))
        return data


class RevealForm(forms.Form):
    why = forms.CharField(label=_("Why do you need the full values?"), max_length=200)
