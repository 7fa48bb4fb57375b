"""Inbound mail from email providers (ESPs), through django-anymail's verified webhooks.

Anymail checks each provider's proof: Mailgun's HMAC-SHA256 signature over timestamp and
token (UNLOCKDESK_MAILGUN_WEBHOOK_SIGNING_KEY), and HTTP basic auth
(UNLOCKDESK_EMAIL_WEBHOOK_SECRET, `user:password`, also checked for Mailgun when set), the
only proof Postmark's inbound webhook offers. A failed check is a 400 and nothing is stored; an
endpoint whose proof is not configured refuses everything (403) instead of accepting anyone.
Each message then takes the same path as SMTP and IMAP mail (ingest); a replayed delivery is
a duplicate.
"""

from email import policy
from email.message import EmailMessage
from typing import Any

from anymail.exceptions import AnymailConfigurationError
from anymail.webhooks.mailgun import MailgunInboundWebhookView
from anymail.webhooks.postmark import PostmarkInboundWebhookView
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

from unlockdesk.intake.mail.ingest import ingest


def raw_bytes(message: EmailMessage) -> bytes:
    try:
        return message.as_bytes()
    except (UnicodeEncodeError, ValueError):
        return message.as_bytes(policy=policy.SMTPUTF8)


class _IngestMixin:
    """Replaces anymail's signal dispatch with the desk's ingest; reports one result per mail."""

    esp_name: str
    proof_setting = "WEBHOOK_SECRET"  # the ANYMAIL setting without which nothing is accepted

    def __init__(self, **kwargs: Any) -> None:
        self.configured = bool(getattr(settings, "ANYMAIL", {}).get(self.proof_setting))
        if self.configured:
            super().__init__(**kwargs)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.configured:
            return JsonResponse({"error": "inbound webhook not configured"}, status=403)
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.run_validators(request)  # type: ignore[attr-defined]
        try:
            events = self.parse_events(request)  # type: ignore[attr-defined]
        except (AnymailConfigurationError, KeyError, ValueError) as exc:
            return JsonResponse({"error": f"not an inbound message: {exc}"[:300]}, status=400)
        results = [ingest(raw_bytes(event.message), source=self.esp_name.lower()).as_dict()
                   for event in events]
        return JsonResponse({"results": results})


class MailgunInbound(_IngestMixin, MailgunInboundWebhookView):
    proof_setting = "MAILGUN_WEBHOOK_SIGNING_KEY"


class PostmarkInbound(_IngestMixin, PostmarkInboundWebhookView):
    pass
