"""Voice through Twilio's maintained SDK: TwiML for the IVR, the REST client for click-to-call.

The IVR's menu (1 emergency freeze, 2 callback, 3 voicemail, 9 English) is TwiML built with
`VoiceResponse`; what each choice does is `intake.ivr`'s, the same as for any voice bridge.
Click-to-call rings the agent's own phone first and, once they answer, dials the customer from
the desk's number, recording from the answer; Twilio reports how it went to the desk's signed
webhooks. `UNLOCKDESK_TWILIO_API_URL` points the SDK at another host (the tests' fake).
"""

from dataclasses import dataclass
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.twiml.voice_response import Gather, VoiceResponse

from unlockdesk.intake.twilio_sms import client

# Twilio's <Say> voices by the desk's languages.
SAY_LANGUAGE = {"zh-hans": "cmn-CN", "en": "en-US"}
MENU_DIGITS = {"1": "freeze", "2": "callback", "3": "voicemail", "9": "english"}
VOICEMAIL_SECONDS = 120


class CallNotPlaced(Exception):
    """Twilio did not take the call; `reason` is for the agent (nothing was stored)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def language_of(value: str) -> str:
    return "en" if value.startswith("en") else "zh-hans"


def webhook_url(name: str, **query: str) -> str:
    """The public URL Twilio is given (and signs): the desk's site URL and the route."""
    url = settings.SITE_URL + reverse(f"webhooks:{name}")
    return f"{url}?{urlencode(query)}" if query else url


def _say(response: VoiceResponse | Gather, text: str, language: str) -> None:
    response.say(text, language=SAY_LANGUAGE[language])


def menu(language: str) -> str:
    """The greeting and the menu, said twice before the call ends."""
    response = VoiceResponse()
    with override(language):
        gather = Gather(num_digits=1, action=webhook_url("twilio_voice_menu", lang=language),
                        method="POST", timeout=6)
        _say(gather, _("Welcome to support. If your account was stolen, press 1 to freeze it now. "
                       "To be called back, press 2. To leave a voicemail, press 3. "
                       "We will never ask for your password or verification codes."), language)
        if language != "en":
            gather.say("For English, press 9.", language=SAY_LANGUAGE["en"])
        response.append(gather)
        response.redirect(webhook_url("twilio_voice", lang=language), method="POST")
    return str(response)


def said(text: str, language: str, *, then_hang_up: bool = True) -> str:
    response = VoiceResponse()
    _say(response, text, language)
    if then_hang_up:
        response.hangup()
    return str(response)


def hang_up() -> str:
    response = VoiceResponse()
    response.hangup()
    return str(response)


def ask_freeze_code(text: str, language: str) -> str:
    """Say what the IVR said about the code and wait for its six digits."""
    response = VoiceResponse()
    gather = Gather(num_digits=6, action=webhook_url("twilio_voice_freeze", lang=language),
                    method="POST", timeout=60)
    _say(gather, text, language)
    response.append(gather)
    with override(language):
        _say(response, _("We did not receive a code. Your account has not been changed."), language)
    response.hangup()
    return str(response)


def record_voicemail(language: str) -> str:
    response = VoiceResponse()
    with override(language):
        _say(response, _("Please leave your message after the tone, then hang up. Do not say "
                         "passwords or verification codes."), language)
    response.record(action=webhook_url("twilio_voice_recorded", lang=language), method="POST",
                    max_length=VOICEMAIL_SECONDS, play_beep=True)
    return str(response)


def not_an_option(language: str) -> str:
    response = VoiceResponse()
    with override(language):
        _say(response, _("That is not one of the choices."), language)
    response.redirect(webhook_url("twilio_voice", lang=language), method="POST")
    return str(response)


@dataclass(frozen=True)
class PlacedCall:
    sid: str
    status: str


def voice_enabled() -> bool:
    return bool(settings.UNLOCKDESK_TWILIO_ACCOUNT_SID and settings.UNLOCKDESK_TWILIO_AUTH_TOKEN
                and (settings.UNLOCKDESK_TWILIO_VOICE_FROM or settings.UNLOCKDESK_TWILIO_FROM))


def place_call(*, agent_phone: str, customer_number: str, language: str) -> PlacedCall:
    """Ring the agent, then connect them to the customer; raise CallNotPlaced when Twilio
    does not take it. Not idempotent: each call is one phone call."""
    if not voice_enabled():
        raise CallNotPlaced(_("Phone calls are not configured on this desk."))
    if not agent_phone:
        raise CallNotPlaced(_("Add your own phone number to your profile first: it rings first."))
    caller_id = settings.UNLOCKDESK_TWILIO_VOICE_FROM or settings.UNLOCKDESK_TWILIO_FROM
    twiml = VoiceResponse()
    with override(language_of(language)):
        twiml.say(_("Connecting you to the customer."), language=SAY_LANGUAGE[language_of(language)])
    dial = twiml.dial(caller_id=caller_id, record="record-from-answer",
                      action=webhook_url("twilio_voice_dialed"), method="POST")
    dial.number(customer_number)
    try:
        call = client().calls.create(to=agent_phone, from_=caller_id, twiml=str(twiml),
                                     status_callback=webhook_url("twilio_voice_status"),
                                     status_callback_method="POST")
    except TwilioRestException as exc:
        raise CallNotPlaced(f"Twilio {exc.code or exc.status}: {exc.msg}"[:255]) from exc
    except (TwilioException, requests.RequestException) as exc:
        raise CallNotPlaced(f"Twilio unreachable: {exc}"[:255]) from exc
    return PlacedCall(sid=str(call.sid), status=str(call.status or ""))
