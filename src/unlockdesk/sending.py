"""Sending email and SMS to a customer's address (sign-in codes, freeze confirmations, unlock
alerts) through the configured backends.

A core module so that every layer may send, from the sign-in codes (`accounts`) up. Every
official email carries the footer of its address (anti-phishing code and freeze link): the
footer is safety's, which registers it here from SafetyConfig.ready(), as a lower layer may
call upward only through a registry. Sending an email with no footer registered is refused,
so a misconfigured process cannot send official mail without it.

Texts go through the SMS sender the channels app registers (`intake.sms.send`: the provider's
SDK, a delivery record per attempt). What callers need to know of it lives here: a text is
either accepted by the provider (an `SmsReceipt`) or not (`SmsFailed`, `SmsOff` when no
provider is configured), so nothing reports a text as sent that was not.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext_lazy as _

EmailFooter = Callable[[str], str]

_footers: list[EmailFooter] = []

# What a text is for. Providers that send free text (Twilio) use `text`; mainland providers
# (Aliyun) only send pre-approved templates, picked by purpose and filled from `params`.
CODE, REPLY, STATUS = "code", "reply", "status"


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


class SmsSender(Protocol):
    def __call__(self, *, to: str, text: str, purpose: str = "", params: Mapping[str, str] | None = None,
                 reference: str = "") -> SmsReceipt: ...


_sms_senders: list[SmsSender] = []


def set_sms_sender(sender: SmsSender) -> None:
    """Register the function that sends one text (IntakeConfig.ready()); again replaces it."""
    _sms_senders[:] = [sender]


def sms_enabled() -> bool:
    """Whether phones can be texted at all (a provider, or the demo outbox, is configured)."""
    return bool(settings.UNLOCKDESK_SMS_BACKEND)


def set_email_footer(footer: EmailFooter) -> None:
    """Register the footer every official email gets (`footer(address) -> text`); called once
    per process from SafetyConfig.ready(). Registering again replaces it."""
    _footers[:] = [footer]


def send_email(
    *, to: str, subject: str, text: str, html: str = "", headers: dict[str, str] | None = None
) -> None:
    if not _footers:
        raise RuntimeError("no official email footer registered (is unlockdesk.safety installed?)")
    footer = _footers[0](to)
    message = EmailMultiAlternatives(
        subject=subject, body=text + footer, to=[to], headers=headers or {}
    )
    if html:
        message.attach_alternative(html + linebreaks(escape(footer.strip())), "text/html")
    message.send()


def send_sms(*, to: str, text: str, purpose: str = "", params: Mapping[str, str] | None = None,
             reference: str = "") -> SmsReceipt:
    """Text `to` through the configured provider; raises SmsFailed (or SmsOff) when the text did
    not leave. `reference` names the record it belongs to ("code", "message:42")."""
    if not sms_enabled():
        raise SmsOff
    if not _sms_senders:
        raise RuntimeError("no SMS sender registered (is unlockdesk.intake installed?)")
    return _sms_senders[0](to=to, text=text, purpose=purpose, params=params, reference=reference)
