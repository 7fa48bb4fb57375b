"""Twilio's status callback for the texts we sent: signed by Twilio, checked with its SDK.

Twilio signs the exact URL it was given plus the posted fields with the account's auth token
(`X-Twilio-Signature`); we check against `UNLOCKDESK_TWILIO_STATUS_CALLBACK`, the URL we gave
it, not the URL as seen behind proxies. A bad signature gets 403 and changes nothing.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from twilio.request_validator import RequestValidator

from unlockdesk.intake import sms_status


@csrf_exempt
@require_http_methods(["POST"])
def sms_status_callback(request: HttpRequest) -> HttpResponse:
    url, token = settings.UNLOCKDESK_TWILIO_STATUS_CALLBACK, settings.UNLOCKDESK_TWILIO_AUTH_TOKEN
    if not (url and token):
        return JsonResponse({"error": "Twilio status callbacks are not configured"}, status=404)
    signature = request.headers.get("X-Twilio-Signature", "")
    if not signature or not RequestValidator(token).validate(url, request.POST, signature):
        return JsonResponse({"error": "bad signature"}, status=403)
    sid, status = request.POST.get("MessageSid", ""), request.POST.get("MessageStatus", "")
    if not sid or status not in sms_status.PROGRESS:
        return JsonResponse({"error": "MessageSid and a known MessageStatus are required"}, status=400)
    code = request.POST.get("ErrorCode", "")
    error = f"Twilio {code}: {status}" if code else ""
    sms_status.record_status(provider="twilio", provider_id=sid, status=status, error=error)
    return HttpResponse(status=204)
