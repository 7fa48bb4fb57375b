"""Twilio's voice webhooks: the IVR's TwiML steps and the reports of how calls went.

Every request must carry Twilio's `X-Twilio-Signature` over the URL it was given (the desk's
`SITE_URL` and the route) and the posted fields, checked with the SDK's RequestValidator; a
bad one gets 403 and changes nothing. What the caller's choices do is `intake.ivr`'s; the call
log is tickets' (`log_provider_call`, `complete_placed_call`), idempotent on Twilio's CallSid,
so Twilio's retries store each call once.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import override
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from twilio.request_validator import RequestValidator

from unlockdesk.intake import ivr, twilio_voice
from unlockdesk.intake.phone import BadEvent
from unlockdesk.tickets.services import CallRefused, complete_placed_call, log_provider_call
from unlockdesk.tickets.types import CallDirection, CallOutcome

View = Callable[[HttpRequest], HttpResponse]
REACHED = "completed"
NOT_REACHED = {"busy", "no-answer", "failed", "canceled"}
# The fields the desk reads, and the longest each may be (Twilio sends many more, some long,
# such as CallToken: those are not read, so not checked).
READ_FIELDS = {"CallSid": 64, "From": 64, "Digits": 32, "CallStatus": 32, "Direction": 32,
               "CallDuration": 10, "DialCallStatus": 32, "DialCallDuration": 10,
               "RecordingSid": 64, "RecordingDuration": 10}


def _twiml(xml: str) -> HttpResponse:
    return HttpResponse(xml, content_type="text/xml; charset=utf-8")


def twilio_signed(view: View) -> View:
    """POST only, Twilio's signature first (403), then the view."""

    @csrf_exempt
    @require_http_methods(["POST"])
    def checked(request: HttpRequest) -> HttpResponse:
        token = settings.UNLOCKDESK_TWILIO_AUTH_TOKEN
        if not token:
            return JsonResponse({"error": "Twilio voice is not configured"}, status=404)
        url = settings.SITE_URL + request.get_full_path()
        signature = request.headers.get("X-Twilio-Signature", "")
        if not signature or not RequestValidator(token).validate(url, request.POST, signature):
            return JsonResponse({"error": "bad signature"}, status=403)
        too_long = [k for k, longest in READ_FIELDS.items() if len(request.POST.get(k, "")) > longest]
        if too_long:
            return JsonResponse({"error": f"{too_long[0]} is too long"}, status=400)
        return view(request)

    checked.__doc__ = view.__doc__
    return checked


def _language(request: HttpRequest) -> str:
    return twilio_voice.language_of(request.GET.get("lang", ""))


def _event(request: HttpRequest, event: str, **extra: str) -> dict[str, str]:
    return {"event": event, "call_id": request.POST.get("CallSid", ""),
            "from": request.POST.get("From", ""), "language": _language(request), **extra}


def _unreadable(language: str) -> HttpResponse:
    with override(language):
        return _twiml(twilio_voice.said(_("We could not read your phone number. Please call from a "
                                          "number that is not hidden, or use the support portal."),
                                        language))


@twilio_signed
def incoming(request: HttpRequest) -> HttpResponse:
    """A call comes in (and the menu again after silence): greeting and menu."""
    return _twiml(twilio_voice.menu(_language(request)))


@twilio_signed
def menu_choice(request: HttpRequest) -> HttpResponse:
    """The key the caller pressed in the menu."""
    language = _language(request)
    choice = twilio_voice.MENU_DIGITS.get(request.POST.get("Digits", ""))
    try:
        if choice == "freeze":
            reply = ivr.handle_event(_event(request, "freeze_request"))
            return _twiml(twilio_voice.ask_freeze_code(reply.say, language))
        if choice == "callback":
            reply = ivr.handle_event(_event(request, "callback_request"))
            return _twiml(twilio_voice.said(reply.say, language))
    except BadEvent:
        return _unreadable(language)
    if choice == "voicemail":
        return _twiml(twilio_voice.record_voicemail(language))
    if choice == "english":
        return _twiml(twilio_voice.menu("en"))
    return _twiml(twilio_voice.not_an_option(language))


@twilio_signed
def freeze_code(request: HttpRequest) -> HttpResponse:
    """The six digits texted to the registered number: the freeze, or nothing changes."""
    language = _language(request)
    try:
        reply = ivr.handle_event(_event(request, "freeze_confirm",
                                        digits=request.POST.get("Digits", "")))
    except BadEvent:
        return _unreadable(language)
    return _twiml(twilio_voice.said(reply.say, language))


@twilio_signed
def recorded(request: HttpRequest) -> HttpResponse:
    """The voicemail is recorded: a message on the caller's ticket and the call in the log."""
    language = _language(request)
    sid, seconds = request.POST.get("RecordingSid", ""), request.POST.get("RecordingDuration", "0")
    duration = int(seconds) if seconds.isdigit() else 0
    with override(language):
        note = _("Voicemail of %(seconds)d seconds; the recording is %(ref)s at the voice "
                 "provider.") % {"seconds": duration, "ref": sid or "—"}
    try:
        reply = ivr.handle_event(_event(request, "voicemail", transcript=note))
        log_provider_call(provider_call_id=request.POST.get("CallSid", ""),
                          direction=CallDirection.INBOUND, number=request.POST.get("From", ""),
                          outcome=CallOutcome.VOICEMAIL, duration_seconds=duration,
                          recording_ref=sid)
    except (BadEvent, CallRefused):
        return _unreadable(language)
    return _twiml(twilio_voice.said(reply.say, language))


def _seconds(value: str) -> int:
    return int(value) if value.isdigit() else 0


@twilio_signed
def call_status(request: HttpRequest) -> HttpResponse:
    """Twilio's status callback when a call ends: the call in the log, once."""
    post = request.POST
    sid, status = post.get("CallSid", ""), post.get("CallStatus", "")
    if not sid or status not in NOT_REACHED | {REACHED}:
        return JsonResponse({"error": "CallSid and a final CallStatus are required"}, status=400)
    duration = _seconds(post.get("CallDuration", ""))
    if post.get("Direction", "") == "inbound":
        outcome = CallOutcome.ANSWERED if status == REACHED else CallOutcome.MISSED
        try:
            log_provider_call(provider_call_id=sid, direction=CallDirection.INBOUND,
                              number=post.get("From", ""), outcome=outcome,
                              duration_seconds=duration)
        except CallRefused as exc:
            return JsonResponse({"error": exc.message}, status=400)
        return HttpResponse(status=204)
    # A click-to-call's first leg (the agent's phone): whether the customer answered comes
    # from the dial's report; here only that nobody was reached, or how long it lasted.
    outcome = CallOutcome.IN_PROGRESS if status == REACHED else CallOutcome.MISSED
    if complete_placed_call(provider_call_id=sid, outcome=outcome, duration_seconds=duration) is None:
        return JsonResponse({"error": "unknown call"}, status=404)
    return HttpResponse(status=204)


@twilio_signed
def dialed(request: HttpRequest) -> HttpResponse:
    """The click-to-call's dial to the customer ended: answered or not, and its recording."""
    post = request.POST
    outcome = CallOutcome.ANSWERED if post.get("DialCallStatus") == REACHED else CallOutcome.MISSED
    call = complete_placed_call(provider_call_id=post.get("CallSid", ""), outcome=outcome,
                                duration_seconds=_seconds(post.get("DialCallDuration", "")),
                                recording_ref=post.get("RecordingSid", ""))
    if call is None:
        return JsonResponse({"error": "unknown call"}, status=404)
    return _twiml(twilio_voice.hang_up())
