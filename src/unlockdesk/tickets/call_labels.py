"""Words for the phone values on the timeline: how a call ended, what became of a callback."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from unlockdesk.tickets.models import CallOutcome

CALLBACK_STEPS = {
    "requested": pgettext_lazy("callback", "Requested"),
    "assigned": pgettext_lazy("callback", "Taken by an agent"),
    "missed": _("Past its due time: escalated"),
    "sms_failed": _("Text message with the time not sent"),
}


def call_label(value: str) -> str | None:
    if value == "started":
        return str(pgettext_lazy("phone call", "Call placed"))
    return str(CallOutcome(value).label) if value in CallOutcome.values and value else None


def callback_label(value: str) -> str | None:
    step = CALLBACK_STEPS.get(value)
    return str(step) if step is not None else None
