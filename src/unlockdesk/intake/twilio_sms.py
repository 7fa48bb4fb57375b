"""SMS through Twilio's maintained SDK (`twilio`), to Twilio or any host speaking its API.

`UNLOCKDESK_TWILIO_API_URL` points the SDK at another host (a regional gateway, or the tests'
local fake of Twilio's HTTP API) through the SDK's documented hook, a custom HTTP client.
"""

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests
from django.conf import settings
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client

from unlockdesk.intake.sms import SmsFailed, SmsReceipt

TIMEOUT_SECONDS = 10
# Statuses Twilio may answer a create with that mean the text will not go out.
REFUSED = {"failed", "undelivered", "canceled"}


class RedirectingHttpClient(TwilioHttpClient):
    """The SDK's own HTTP client, with every request sent to `base_url` instead of Twilio's host."""

    def __init__(self, base_url: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.base = urlsplit(base_url)

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Response:
        parts = urlsplit(url)
        path = self.base.path.rstrip("/") + parts.path
        url = urlunsplit((self.base.scheme, self.base.netloc, path, parts.query, parts.fragment))
        return super().request(method, url, *args, **kwargs)


def client() -> Client:
    base_url = settings.UNLOCKDESK_TWILIO_API_URL
    http = (RedirectingHttpClient(base_url, timeout=TIMEOUT_SECONDS) if base_url
            else TwilioHttpClient(timeout=TIMEOUT_SECONDS))
    return Client(settings.UNLOCKDESK_TWILIO_ACCOUNT_SID, settings.UNLOCKDESK_TWILIO_AUTH_TOKEN,
                  http_client=http)


class TwilioSmsBackend:
    """Creates one Twilio Message per text; Twilio's answer (status, sid) is the receipt.

    Sends from `UNLOCKDESK_TWILIO_MESSAGING_SERVICE_SID` when set, else from
    `UNLOCKDESK_TWILIO_FROM`. With `UNLOCKDESK_TWILIO_STATUS_CALLBACK` set, Twilio reports
    later statuses (sent, delivered, failed) to the desk's signed callback.
    """

    name = "twilio"

    def send(self, *, to: str, text: str, purpose: str = "", params: Mapping[str, str] | None = None,
             ) -> SmsReceipt:
        """Twilio sends free text: `purpose` and `params` are for template providers."""
        fields: dict[str, Any] = {"to": to, "body": text}
        if settings.UNLOCKDESK_TWILIO_MESSAGING_SERVICE_SID:
            fields["messaging_service_sid"] = settings.UNLOCKDESK_TWILIO_MESSAGING_SERVICE_SID
        else:
            fields["from_"] = settings.UNLOCKDESK_TWILIO_FROM
        if settings.UNLOCKDESK_TWILIO_STATUS_CALLBACK:
            fields["status_callback"] = settings.UNLOCKDESK_TWILIO_STATUS_CALLBACK
        try:
            message = client().messages.create(**fields)
        except TwilioRestException as exc:
            # 4xx (bad number, unsubscribed recipient, bad credentials) stays wrong on retry.
            retryable = exc.status >= 500 or exc.status == 429
            raise SmsFailed(f"Twilio {exc.code or exc.status}: {exc.msg}"[:255],
                            retryable=retryable, provider=self.name) from exc
        except (TwilioException, requests.RequestException) as exc:
            raise SmsFailed(f"Twilio unreachable: {exc}"[:255], retryable=True,
                            provider=self.name) from exc
        status = str(message.status or "")
        if status in REFUSED:
            raise SmsFailed(f"Twilio {message.error_code or status}: {message.error_message or status}",
                            retryable=False, provider=self.name)
        return SmsReceipt(provider=self.name, provider_id=str(message.sid), status=status)
