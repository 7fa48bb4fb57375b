"""The phone IVR: what the caller's key presses and recordings do, and what the IVR says back.

Voicemail, callback requests and call notes become messages through the phone channel adapter
(`intake.phone`) and the pipeline's receive(). The emergency freeze is safety's one freeze
service (`safety.freeze`), the same as the portal's: caller ID can be spoofed, so here it waits
for the code we text to the registered number. A freeze only ever protects: nothing here can
unfreeze."""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import override

from unlockdesk.accounts import codes
from unlockdesk.accounts import selectors as account_selectors
from unlockdesk.accounts.identifiers import normalize_phone
from unlockdesk.intake import phone, sms
from unlockdesk.safety.freeze import emergency_freeze
from unlockdesk.tickets.services import queue_callback, receive
from unlockdesk.tickets.types import CallbackReason, Channel, IdentityKind, SenderIdentity


@dataclass(frozen=True)
class VoiceReply:
    """What the IVR says next; `ticket` is never spoken, only texted to the proven number."""

    say: str
    ticket: str = ""


def handle_event(raw: dict[str, Any]) -> VoiceReply:
    language = "en" if str(raw.get("language", "")).startswith("en") else "zh-hans"
    with override(language):
        kind = raw.get("event")
        if kind == "freeze_request":
            return _freeze_request(raw)
        if kind == "freeze_confirm":
            return _freeze_confirm(raw, language)
        receipt = receive(phone.parse(raw))
        if kind == "callback_request" and receipt.ticket_number:
            # Into the timed callback queue; the customer is texted the ticket and the time.
            queue_callback(ticket_number=receipt.ticket_number, number=_caller(raw),
                           reason=CallbackReason.REQUEST, language=language,
                           source_call_id=str(raw.get("call_id", "")))
        if not sms.enabled():  # the acknowledgement with the ticket number cannot be texted
            return VoiceReply(_("Thank you. Your request is recorded. Text messages are switched off "
                                "on this line: please follow it up in the support portal."),
                              receipt.ticket_number)
        return VoiceReply(_("Thank you. Your request is recorded; we will text you the ticket number."),
                          receipt.ticket_number)


def _caller(raw: dict[str, Any]) -> str:
    try:
        return normalize_phone(str(raw.get("from", "")))
    except Exception as exc:
        raise phone.BadEvent("from is not a phone number") from exc


def _freeze_request(raw: dict[str, Any]) -> VoiceReply:
    caller = _caller(raw)
    if not sms.enabled():  # said to every caller alike, before the number is looked up
        return VoiceReply(_("We cannot text you a code: text messages are switched off on this "
                            "line. Please stay on the line for an agent, or use the support portal."))
    if account_selectors.account_by_address("phone", caller) is not None:
        try:
            codes.send_freeze_code(caller)  # its own quota: sign-in requests cannot spend it
        except codes.CodeThrottled:
            return VoiceReply(_("Too many codes were requested. Please use the support portal or "
                                "stay on the line for an agent."))
        except sms.SmsFailed:
            return VoiceReply(_("We could not text you a code just now. Please stay on the line "
                                "for an agent, or use the support portal."))
    # Same words whether or not the number is registered: the call reveals nothing.
    return VoiceReply(_("If this number is registered, we have texted it a 6-digit code. "
                        "Enter the code to freeze your account."))


def _freeze_confirm(raw: dict[str, Any], language: str) -> VoiceReply:
    caller = _caller(raw)
    account = account_selectors.account_by_address("phone", caller)
    try:
        codes.verify_freeze_code(caller, str(raw.get("digits", "")))
    except codes.CodeRejected:
        return VoiceReply(_("That code is not right. Your account has not been changed."))
    if account is None:
        return VoiceReply(_("That code is not right. Your account has not been changed."))
    outcome = emergency_freeze(
        account, actor="customer:phone", via="phone", language=language, channel=Channel.PHONE,
        sender=SenderIdentity(IdentityKind.PHONE, caller, verified=True),
        external_id=f"{raw.get('call_id', '')}:freeze",
    )
    # A stolen account: a person calls back first of all, before every other callback.
    queue_callback(ticket_number=outcome.ticket_number, number=caller, reason=CallbackReason.FREEZE,
                   language=language, source_call_id=f"{raw.get('call_id', '')}:freeze")
    return VoiceReply(_("Your account is frozen: login, trading and withdrawals are blocked. "
                        "We have texted you the ticket number."), outcome.ticket_number)
