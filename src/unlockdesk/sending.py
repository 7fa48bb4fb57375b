"""Sending notices to a customer address (codes, acknowledgements) through the configured backends."""

from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils.module_loading import import_string


class SmsBackend(Protocol):
    def send(self, *, to: str, text: str) -> None: ...


def sms_backend() -> SmsBackend:
    backend: SmsBackend = import_string(settings.UNLOCKDESK_SMS_BACKEND)()
    return backend


def send_email(
    *, to: str, subject: str, text: str, html: str = "", headers: dict[str, str] | None = None
) -> None:
    from django.utils.html import escape, linebreaks

    from unlockdesk.safety.notices import official_email_footer

    # Every official email to an account's address carries its anti-phishing code and a freeze link.
    footer = official_email_footer(to)
    message = EmailMultiAlternatives(
        subject=subject, body=text + footer, to=[to], headers=headers or {}
    )
    if html:
        message.attach_alternative(html + linebreaks(escape(footer.strip())), "text/html")
    message.send()


def send_sms(*, to: str, text: str) -> None:
    sms_backend().send(to=to, text=text)
