"""Webhook endpoints of the social and voice providers: verify, parse, hand to the pipeline.

A bad signature gets 403 and nothing is stored; a malformed body gets 400. Providers retry
on errors, and the pipeline stores each item once (idempotent on the provider's message id).
"""

import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from unlockdesk.intake import facebook, ivr, telegram, x
from unlockdesk.intake.phone import BadEvent
from unlockdesk.intake.signatures import same_secret, valid_base64_signature, valid_hex_signature
from unlockdesk.tickets.services import receive


def _json(request: HttpRequest) -> dict[str, Any] | None:
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def _bad(reason: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": reason}, status=status)


@csrf_exempt
@require_http_methods(["POST"])
def telegram_webhook(request: HttpRequest) -> HttpResponse:
    given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
    if not same_secret(settings.UNLOCKDESK_TELEGRAM_WEBHOOK_SECRET, given):
        return _bad("bad secret token", 403)
    data = _json(request)
    if data is None:
        return _bad("body is not a JSON object")
    try:
        receipt = receive(telegram.parse(data))
    except telegram.Unsupported as exc:
        return JsonResponse({"status": "ignored", "reason": str(exc)})
    return JsonResponse({"status": receipt.status})


@csrf_exempt
@require_http_methods(["GET", "POST"])
def facebook_webhook(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        token = request.GET.get("hub.verify_token", "")
        if request.GET.get("hub.mode") == "subscribe" and same_secret(
            settings.UNLOCKDESK_FACEBOOK_VERIFY_TOKEN, token
        ):
            return HttpResponse(request.GET.get("hub.challenge", ""), content_type="text/plain")
        return _bad("bad verify token", 403)
    signature = request.headers.get("X-Hub-Signature-256", "")
    if not valid_hex_signature(settings.UNLOCKDESK_FACEBOOK_APP_SECRET, request.body, signature):
        return _bad("bad signature", 403)
    data = _json(request)
    if data is None:
        return _bad("body is not a JSON object")
    try:
        statuses = [receive(item).status for item in facebook.parse_all(data)]
    except (KeyError, TypeError) as exc:
        return _bad(f"malformed event: {exc}")
    return JsonResponse({"status": statuses})


@csrf_exempt
@require_http_methods(["GET", "POST"])
def x_webhook(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        crc = request.GET.get("crc_token", "")
        if not crc or not settings.UNLOCKDESK_X_CONSUMER_SECRET:
            return _bad("crc_token required")
        return JsonResponse({"response_token": x.crc_response(crc)})
    signature = request.headers.get("X-Twitter-Webhooks-Signature", "")
    if not valid_base64_signature(settings.UNLOCKDESK_X_CONSUMER_SECRET, request.body, signature):
        return _bad("bad signature", 403)
    data = _json(request)
    if data is None:
        return _bad("body is not a JSON object")
    try:
        statuses = [receive(item).status for item in x.parse_all(data)]
    except (KeyError, TypeError) as exc:
        return _bad(f"malformed event: {exc}")
    return JsonResponse({"status": statuses})


@csrf_exempt
@require_http_methods(["POST"])
def voice_webhook(request: HttpRequest) -> HttpResponse:
    signature = request.headers.get("X-Unlockdesk-Signature", "")
    if not valid_hex_signature(settings.UNLOCKDESK_VOICE_WEBHOOK_SECRET, request.body, signature):
        return _bad("bad signature", 403)
    data = _json(request)
    if data is None:
        return _bad("body is not a JSON object")
    try:
        reply = ivr.handle_event(data)
    except BadEvent as exc:
        return _bad(str(exc))
    return JsonResponse({"say": reply.say})
