"""Inbound mail from email providers (ESPs), through django-anymail's verified webhooks.

Anymail checks each provider's proof: Mailgun's HMAC-SHA256 signature over timestamp and
token (UNLOCKDESK_MAILGUN_WEBHOOK_SIGNING_KEY), and HTTP basic auth
(UNLOCKDESK_EMAIL_WEBHOOK_SECRET, `user:password`, also checked for Mailgun when set), the
only proof Postmark's inbound webhook offers. A failed check is a 400 and nothing is stored; an
endpoint whose proof is not configured refuses everything (403) instead of accepting anyone.
A Mailgun timestamp further than UNLOCKDESK_WEBHOOK_MAX_AGE_SECONDS from now is a replay (400).
A body of the wrong shape is a 400 with nothing stored, so the provider stops retrying it.
Each message then takes the same path as SMTP and IMAP mail (ingest); a replayed delivery is
a duplicate.

These endpoints are called by outside systems with no CSRF cookie: `dispatch` stays
CSRF-exempt, as anymail's own is.
"""

import time
from email import policy
from email.message import EmailMessage
from typing import Any

from anymail.exceptions import AnymailConfigurationError, AnymailWebhookValidationFailure
from anymail.webhooks.mailgun import MailgunInboundWebhookView
from anymail.webhooks.postmark import PostmarkInboundWebhookView
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt

from unlockdesk.intake import payloads
from unlockdesk.intake.mail.ingest import IngestResult, ingest
from unlockdesk.intake.payloads import BadPayload


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

    @method_decorator(csrf_exempt)
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.configured:
            return JsonResponse({"error": "inbound webhook not configured"}, status=403)
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]

    def check_shape(self, request: HttpRequest) -> None:
        """Raise BadPayload for a body anymail's parser would choke on (it trusts the shape)."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.run_validators(request)  # type: ignore[attr-defined]
        try:
            self.check_shape(request)
            events = self.parse_events(request)  # type: ignore[attr-defined]
        except (AnymailConfigurationError, KeyError, ValueError) as exc:
            return JsonResponse({"error": f"not an inbound message: {exc}"[:300]}, status=400)
        except RecursionError:  # anymail parses the MIME itself, recursively
            return JsonResponse({"error": "not an inbound message: MIME parts nested too deeply"},
                                status=400)
        return JsonResponse({"results": [self.ingest_one(event.message) for event in events]})

    def ingest_one(self, message: EmailMessage) -> dict[str, object]:
        try:
            raw = raw_bytes(message)
        except RecursionError:
            return IngestResult("rejected", reason="MIME parts nested too deeply").as_dict()
        return ingest(raw, source=self.esp_name.lower()).as_dict()


class MailgunInbound(_IngestMixin, MailgunInboundWebhookView):
    proof_setting = "MAILGUN_WEBHOOK_SIGNING_KEY"

    def validate_request(self, request: HttpRequest) -> None:
        """Mailgun signs its timestamp: an old (or far future) one is a captured delivery."""
        content_type = request.content_type or ""
        if content_type != "application/x-www-form-urlencoded" and not content_type.startswith("multipart/"):
            raise AnymailWebhookValidationFailure("Mailgun inbound mail is posted as a form")
        stamp = request.POST.get("timestamp", "")
        if not (stamp.isascii() and stamp.isdigit()) or len(stamp) > 12:
            raise AnymailWebhookValidationFailure("Mailgun timestamp missing or not a number")
        if not (request.POST.get("token", "").isascii() and request.POST.get("signature", "").isascii()):
            raise AnymailWebhookValidationFailure("Mailgun token or signature is not ASCII")
        if abs(time.time() - int(stamp)) > settings.UNLOCKDESK_WEBHOOK_MAX_AGE_SECONDS:
            raise AnymailWebhookValidationFailure("Mailgun timestamp outside the replay window")
        super().validate_request(request)


class PostmarkInbound(_IngestMixin, PostmarkInboundWebhookView):
    def check_shape(self, request: HttpRequest) -> None:
        """Postmark's inbound JSON, as anymail reads it: each field it touches, when present,
        of the type it expects (anymail reads `event.get(key, default)`, so null is refused)."""
        event = payloads.load_object(request.body)
        for key in ("RawEmail", "Subject", "TextBody", "HtmlBody", "Date", "ReplyTo", "RecordType",
                    "MessageID", "OriginalRecipient", "StrippedTextReply"):
            _present_as(event, key, str)
        _present_as(event, "FromFull", dict)
        addresses = [event.get("FromFull") or {}]
        for key in ("ToFull", "CcFull", "BccFull", "Headers", "Attachments"):
            _present_as(event, key, list)
        for key in ("ToFull", "CcFull", "BccFull"):
            addresses += payloads.objects(event, key)
        for address in addresses:
            payloads.text(address, "Email")
            payloads.text(address, "Name")
        for header in payloads.objects(event, "Headers"):
            if not isinstance(header.get("Name"), str) or not isinstance(header.get("Value"), str):
                raise BadPayload("Headers hold a Name or Value that is not a string")
        for attachment in payloads.objects(event, "Attachments"):
            for key in ("ContentType", "Content", "Data", "Name", "ContentID"):
                payloads.text(attachment, key)


def _present_as(event: dict[str, Any], key: str, kind: type) -> None:
    if key in event and not isinstance(event[key], kind):
        raise BadPayload(f"{key} is not a {kind.__name__}")
