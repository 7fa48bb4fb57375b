"""Phone channel: voice-provider events in (voicemail, callback requests, call notes), SMS out.

The voice provider's IVR posts provider-neutral JSON events (a small bridge maps Twilio, Aliyun
or any other provider to them); see ivr.py for what the IVR does with them, such as the freeze.
"""

from typing import Any

from unlockdesk import sending
from unlockdesk.accounts.identifiers import normalize_phone
from unlockdesk.tickets.types import (
    Channel,
    DeliveryResult,
    IdentityKind,
    InboundMessage,
    OutboundMessage,
    SenderIdentity,
)

ADDRESS_KIND = IdentityKind.PHONE

TEXT_EVENTS = {
    "voicemail": "Voicemail",
    "callback_request": "Callback requested",
    "call_summary": "Call summary",
}


class BadEvent(ValueError):
    """A voice event that is malformed or of a kind this adapter does not turn into a message."""


def parse(raw: dict[str, Any]) -> InboundMessage:
    kind = str(raw.get("event", ""))
    if kind not in TEXT_EVENTS:
        raise BadEvent(f"unknown event {kind!r}")
    call_id = str(raw.get("call_id", "")).strip()
    if not call_id:
        raise BadEvent("call_id is required")
    try:
        caller = normalize_phone(str(raw.get("from", "")))
    except Exception as exc:
        raise BadEvent("from is not a phone number") from exc
    body = str(raw.get("transcript") or raw.get("note") or "").strip()
    if kind == "callback_request":
        body = body or "The caller asked to be called back."
    if not body:
        raise BadEvent("transcript is required")
    return InboundMessage(
        channel=Channel.PHONE,
        external_id=f"{call_id}:{kind}",
        sender=SenderIdentity(IdentityKind.PHONE, caller),
        text=f"[{TEXT_EVENTS[kind]}] {body}"[:20000],
        language=str(raw.get("language", "")),
    )


def deliver(message: OutboundMessage) -> DeliveryResult:
    if not message.to:
        return DeliveryResult(False, error="contact has no phone number", retryable=False)
    try:
        receipt = sending.send_sms(to=message.to, text=f"[{message.ticket_number}] {message.text}",
                                   purpose=sending.REPLY, params={"ticket": message.ticket_number},
                                   reference=f"message:{message.message_id}")
    except sending.SmsFailed as exc:  # SmsOff included: recorded as a failed delivery, with why
        return DeliveryResult(False, error=exc.reason, retryable=exc.retryable)
    return DeliveryResult(True, provider_id=f"{receipt.provider}:{receipt.provider_id}")
