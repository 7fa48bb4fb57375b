"""Sending to social and voice providers' HTTP APIs, or to the demo outbox.

Each provider's token comes from the environment; without it a delivery fails with a clear,
non-retryable error (nothing is silently dropped). In the demo, messages go to the outbox.
"""

import json
import urllib.error
import urllib.request
from typing import Any

from django.conf import settings

from unlockdesk.intake.models import OutboxItem
from unlockdesk.tickets.types import DeliveryResult, OutboundMessage

TIMEOUT_SECONDS = 10


def post_json(url: str, payload: dict[str, Any], headers: dict[str, str] | None = None) -> DeliveryResult:
    request = urllib.request.Request(  # noqa: S310 - https URLs from our own settings
        url, data=json.dumps(payload).encode(), method="POST",
        headers={"Content-Type": "application/json", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            body = response.read(65536).decode(errors="replace")
    except urllib.error.HTTPError as exc:
        return DeliveryResult(False, error=f"HTTP {exc.code}", retryable=exc.code >= 500 or exc.code == 429)
    except (urllib.error.URLError, TimeoutError) as exc:
        return DeliveryResult(False, error=str(exc)[:200], retryable=True)
    return DeliveryResult(True, provider_id=body[:200])


def not_configured(channel: str, label: str, message: OutboundMessage) -> DeliveryResult:
    """A delivery without the provider's token: the demo outbox in the demo, else a clear
    failure that is not retried (a token does not appear by waiting)."""
    if demo():
        return to_outbox(channel, message)
    return DeliveryResult(False, error=f"{label} is not configured", retryable=False)


def to_outbox(channel: str, message: OutboundMessage) -> DeliveryResult:
    item = OutboxItem.objects.create(kind=OutboxItem.SOCIAL, to=f"{channel}:{message.to}",
                                     subject=message.ticket_number, body=signed_text(message))
    return DeliveryResult(True, provider_id=f"outbox:{item.pk}")


def signed_text(message: OutboundMessage) -> str:
    """Agent messages name the agent (工号) and the ticket, on every channel."""
    lines = [message.text]
    if message.agent_public_name:
        lines.append(f"— {message.agent_public_name}")
    lines.append(f"[{message.ticket_number}]")
    return "\n".join(lines)


def demo() -> bool:
    return bool(settings.DEMO_MODE)
