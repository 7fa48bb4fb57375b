"""Sending notices to a customer address (codes, acknowledgements) through the configured backends."""

from collections.abc import Mapping

from django.core.mail import EmailMultiAlternatives

from unlockdesk.intake import sms


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


def send_sms(*, to: str, text: str, purpose: str = "", params: Mapping[str, str] | None = None,
             reference: str = "") -> sms.SmsReceipt:
    """Text `to` through the configured provider; raises sms.SmsFailed (or sms.SmsOff) when
    the text did not leave, so no caller can report a text as sent that was not."""
    return sms.send(to=to, text=text, purpose=purpose, params=params, reference=reference)
