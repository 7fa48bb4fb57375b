"""Sending one text message: through a provider's SDK, to the demo outbox, or not at all.

A text counts as sent only when the provider accepted it; every attempt leaves an
`SmsDelivery` row with the provider's own status (queued, sent, failed ...) and reason, never
the text itself (it may hold a sign-in code). Outside the demo, with no provider configured,
SMS is off: `send` raises `SmsOff` before anything is created, so callers can say so plainly.
"""

from collections.abc import Mapping
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from unlockdesk.intake.models import SmsDelivery
from unlockdesk.sending import CODE, REPLY, STATUS, SmsFailed, SmsOff, SmsReceipt, sms_enabled

__all__ = ["CODE", "REPLY", "STATUS", "SmsBackend", "SmsFailed", "SmsOff", "SmsReceipt", "backend",
           "enabled", "send"]


class SmsBackend(Protocol):
    name: str

    def send(self, *, to: str, text: str, purpose: str, params: Mapping[str, str]) -> SmsReceipt:
        """Hand the text to the provider; raise SmsFailed when it did not take it."""
        ...


def backend() -> SmsBackend:
    """The configured backend; raises SmsOff when there is none."""
    path = settings.UNLOCKDESK_SMS_BACKEND
    if not path:
        raise SmsOff
    backend: SmsBackend = import_string(path)()
    return backend


enabled = sms_enabled


def send(*, to: str, text: str, purpose: str = "", params: Mapping[str, str] | None = None,
         reference: str = "") -> SmsReceipt:
    """Send one text and record what the provider said; raise SmsFailed (or SmsOff) otherwise.

    `purpose` (CODE, REPLY, STATUS) and `params` ({"code": ...}, {"ticket": ...}) let template
    providers send the same notice; `reference` says which record the text belongs to
    ("code", "message:42"), so a later status report can find its ticket message.
    Not idempotent: each call is one text.
    """
    sender = backend()
    try:
        receipt = sender.send(to=to, text=text, purpose=purpose, params=params or {})
    except SmsFailed as exc:
        SmsDelivery.objects.create(provider=exc.provider or sender.name, to=to, reference=reference,
                                   status=SmsDelivery.FAILED, error=exc.reason[:255])
        raise
    SmsDelivery.objects.create(provider=receipt.provider, provider_id=receipt.provider_id, to=to,
                               reference=reference, status=receipt.status[:20])
    return receipt
