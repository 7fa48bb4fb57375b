"""Outbox backends: email and SMS kept in the database, shown on the demo outbox page."""

from collections.abc import Mapping, Sequence

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage

from unlockdesk.intake.models import OutboxItem
from unlockdesk.intake.sms import SmsReceipt


class OutboxEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        for message in email_messages:
            html = ""
            for content, mimetype in getattr(message, "alternatives", []) or []:
                if mimetype == "text/html":
                    html = str(content)
            for recipient in message.recipients():
                OutboxItem.objects.create(
                    kind=OutboxItem.EMAIL,
                    to=recipient,
                    subject=str(message.subject),
                    body=str(message.body),
                    html=html,
                    headers={k: str(v) for k, v in (message.extra_headers or {}).items()},
                )
        return len(email_messages)


class OutboxSmsBackend:
    """Demo only: the text lands on the outbox page, and its status says so."""

    name = "outbox"

    def send(self, *, to: str, text: str, purpose: str = "", params: Mapping[str, str] | None = None,
             ) -> SmsReceipt:
        item = OutboxItem.objects.create(kind=OutboxItem.SMS, to=to, body=text)
        return SmsReceipt(provider=self.name, provider_id=f"outbox:{item.pk}", status="outbox")
