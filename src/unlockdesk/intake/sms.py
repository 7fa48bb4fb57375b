"""Sending one text message: through a provider's SDK, to the demo outbox, or not at all.

A text counts as sent only when the provider accepted it; every attempt leaves an
`SmsDelivery` row with the provider's own status (queued, sent, failed ...) and reason, never
the text itself (it may hold a sign-in code). Outside the demo, with no provider configured,
SMS is off: `send` raises `SmsOff` before anything is created, so callers can say so plainly.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from unlockdesk.intake.models import SmsDelivery


@dataclass(frozen=True)
class SmsReceipt:
    """What the provider said when it took the text: its id for it and its status."""

    provider: str
    provider_id: str
    status: str


class SmsFailed(Exception):
    """The text did not leave: the provider refused it or could not be reached.

    `reason` is for agents and logs (the provider's code and words); `retryable` says whether
    the same text may succeed later (network trouble, provider errors, rate limits).
    """

    customer_message = _("We could not send the text message (SMS) just now. "
                         "Try again in a few minutes, or use your email address.")

    def __init__(self, reason: str, *, retryable: bool, provider: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable
        self.provider = provider


class SmsOff(SmsFailed):
    """No SMS provider is configured (outside the demo): nothing can be texted."""

    customer_message = _("Text messages (SMS) are switched off on this desk. "
                         "Use your email address, or contact support another way.")

    def __init__(self) -> None:
        super().__init__("SMS is off: no SMS provider is configured", retryable=False)


# What a text is for. Providers that send free text (Twilio) use `text`; mainland providers
# (Aliyun) only send pre-approved templates, picked by purpose and filled from `params`.
CODE, REPLY, STATUS = "code", "reply", "status"


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


def enabled() -> bool:
    return bool(settings.UNLOCKDESK_SMS_BACKEND)


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
