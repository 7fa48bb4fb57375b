"""Webhook endpoints of the social and voice providers: verify, parse, hand to the pipeline.

A bad signature gets 403 and nothing is stored; a body the adapter cannot read (not JSON,
nested too deeply, a lone surrogate, a field of the wrong type) gets 400 and nothing is
stored, so providers stop retrying it. Providers retry on other errors, and the pipeline
stores each item once (idempotent on the provider's message id).

The social channels share one view, `signed_webhook`: a channel brings its proof check, its
adapter's `parse` and, where the provider has one, its subscription handshake.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from unlockdesk.intake import facebook, ivr, payloads, telegram, x
from unlockdesk.intake.payloads import BadPayload
from unlockdesk.intake.phone import BadEvent
from unlockdesk.intake.signatures import same_secret, valid_base64_signature, valid_hex_signature
from unlockdesk.tickets.services import receive
from unlockdesk.tickets.types import InboundMessage

View = Callable[[HttpRequest], HttpResponse]


def _bad(reason: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": reason}, status=status)


@dataclass(frozen=True)
class SignedChannel:
    """What differs between the social webhooks; everything else is `signed_webhook`."""

    verify: Callable[[HttpRequest], bool]
    parse: Callable[[dict[str, Any]], list[InboundMessage]]
    handshake: View | None = None


def signed_webhook(channel: SignedChannel) -> View:
    """POST: proof first (403), then parse (400), then one receive() per item.
    GET: the provider's handshake, when it has one."""
    methods = ["GET", "POST"] if channel.handshake else ["POST"]

    @csrf_exempt
    @require_http_methods(methods)
    def view(request: HttpRequest) -> HttpResponse:
        if request.method == "GET" and channel.handshake is not None:
            return channel.handshake(request)
        if not channel.verify(request):
            return _bad("bad signature", 403)
        try:
            items = channel.parse(payloads.load_object(request.body))
        except BadPayload as exc:
            return _bad(str(exc))
        return JsonResponse({"status": [receive(item).status for item in items]})

    return view


def _telegram_proof(request: HttpRequest) -> bool:
    given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
    return same_secret(settings.UNLOCKDESK_TELEGRAM_WEBHOOK_SECRET, given)


def _facebook_proof(request: HttpRequest) -> bool:
    signature = request.headers.get("X-Hub-Signature-256", "")
    return valid_hex_signature(settings.UNLOCKDESK_FACEBOOK_APP_SECRET, request.body, signature)


def _facebook_subscribe(request: HttpRequest) -> HttpResponse:
    token = request.GET.get("hub.verify_token", "")
    if request.GET.get("hub.mode") == "subscribe" and same_secret(
        settings.UNLOCKDESK_FACEBOOK_VERIFY_TOKEN, token
    ):
        return HttpResponse(request.GET.get("hub.challenge", ""), content_type="text/plain")
    return _bad("bad verify token", 403)


def _x_proof(request: HttpRequest) -> bool:
    signature = request.headers.get("X-Twitter-Webhooks-Signature", "")
    return valid_base64_signature(settings.UNLOCKDESK_X_CONSUMER_SECRET, request.body, signature)


def _x_challenge(request: HttpRequest) -> HttpResponse:
    """X's CRC check. Only token-shaped strings are answered: the answer is the signature a
    delivery with that body would carry, so a JSON body must never be signed here."""
    crc = request.GET.get("crc_token", "")
    if not settings.UNLOCKDESK_X_CONSUMER_SECRET or not x.crc_token_allowed(crc):
        return _bad("crc_token required")
    return JsonResponse({"response_token": x.crc_response(crc)})


telegram_webhook = signed_webhook(SignedChannel(verify=_telegram_proof, parse=telegram.parse))
facebook_webhook = signed_webhook(SignedChannel(verify=_facebook_proof, parse=facebook.parse,
                                                handshake=_facebook_subscribe))
x_webhook = signed_webhook(SignedChannel(verify=_x_proof, parse=x.parse, handshake=_x_challenge))


# The voice bridge's short fields and the longest each may be: they end up in bounded columns
# (the message's external id, the contact's language), so a longer one is refused here.
_VOICE_FIELDS = {"event": 32, "call_id": 100, "from": 64, "language": 8, "digits": 32}


def _voice_event(body: bytes) -> dict[str, Any]:
    data = payloads.load_object(body)
    for key, longest in _VOICE_FIELDS.items():
        value = data.get(key)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, str | int) or len(str(value)) > longest:
            raise BadPayload(f"{key} is not a string of at most {longest} characters")
    for key in ("transcript", "note"):
        payloads.text(data, key)
    return data


@csrf_exempt
@require_http_methods(["POST"])
def voice_webhook(request: HttpRequest) -> HttpResponse:
    signature = request.headers.get("X-Unlockdesk-Signature", "")
    if not valid_hex_signature(settings.UNLOCKDESK_VOICE_WEBHOOK_SECRET, request.body, signature):
        return _bad("bad signature", 403)
    try:
        reply = ivr.handle_event(_voice_event(request.body))
    except (BadPayload, BadEvent) as exc:
        return _bad(str(exc))
    return JsonResponse({"say": reply.say})
