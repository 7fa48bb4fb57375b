"""Sending email and SMS to a customer's address (sign-in codes, freeze confirmations, unlock
alerts) through the configured backends.

A core module so that every layer may send, from the sign-in codes (`accounts`) up. Every
official email carries the footer of its address (anti-phishing code and freeze link): the
footer is safety's, which registers it here from SafetyConfig.ready(), as a lower layer may
call upward only through a registry. Sending an email with no footer registered is refused,
so a misconfigured process cannot send official mail without it.
"""

from collections.abc import Callable
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils.html import escape, linebreaks
from django.utils.module_loading import import_string

EmailFooter = Callable[[str], str]

_footers: list[EmailFooter] = []


class SmsBackend(Protocol):
    def send(self, *, to: str, text: str) -> None: ...


def set_email_footer(footer: EmailFooter) -> None:
    """Register the footer every official email gets (`footer(address) -> text`); called once
    per process from SafetyConfig.ready(). Registering again replaces it."""
    _footers[:] = [footer]


def sms_backend() -> SmsBackend:
    backend: SmsBackend = import_string(settings.UNLOCKDESK_SMS_BACKEND)()
    return backend


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


def send_sms(*, to: str, text: str) -> None:
    sms_backend().send(to=to, text=text)
