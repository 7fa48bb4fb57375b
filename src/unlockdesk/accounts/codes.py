"""One-time sign-in codes for the customer portal.

A locked-out customer cannot log in to the exchange, so they prove control of their
registered email or phone instead. Only keyed hashes are stored; codes expire, allow a few
attempts and are rate-limited. Responses never reveal whether an address is registered.

Sending a code costs the exchange money (SMS pumping) and can be aimed at someone else's
number, so sign-in codes have three budgets: per destination (the database count), per client
IP and one global budget (cache counters). The IVR freeze's codes are a separate kind with
their own destination key and quota: strangers asking for sign-in codes for a victim's number
can never spend the code that would let the victim freeze their account.
"""

import hmac
import secrets
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from unlockdesk import crypto, ratelimit, sending
from unlockdesk.accounts.models import CustomerCode


class CodeRejected(Exception):
    """Wrong, expired or exhausted code; the message is safe to show."""


class CodeThrottled(Exception):
    """Too many codes requested (for this destination, from this IP, or in all); the message
    is safe to show and says when to try again."""

    def __init__(self, scope: str, message: str) -> None:
        super().__init__(message)
        self.scope = scope
        self.message = message


# A freeze code lives under its own destination key: sign-in requests never count against it
# and a newer sign-in code never hides it.
FREEZE = "freeze"


def _destination_hash(kind: str, value: str, *, purpose: str = "") -> str:
    name = f"{purpose}:{kind}:{value}" if purpose else f"{kind}:{value}"
    return crypto.keyed_hash(name, purpose="otp-destination")


def _code_hash(destination_hash: str, code: str) -> str:
    return crypto.keyed_hash(f"{destination_hash}:{code}", purpose="otp-code")


def send_code(kind: str, value: str, *, client_ip: str | None = None) -> None:
    """Create a sign-in code for a normalised email or phone and deliver it there.

    Raises CodeThrottled (nothing sent) when the destination, the client IP (None: a caller
    without one, such as a provider's webhook) or the whole desk has used its budget.
    Raises sending.SmsOff (before any code exists) when phones cannot be texted, and SmsFailed
    when the provider did not take the text: a code is never said to be sent when it was not.
    """
    if kind != "email" and not sending.sms_enabled():
        raise sending.SmsOff
    dest = _destination_hash(kind, value)
    if _sent_last_hour(dest) >= settings.UNLOCKDESK_OTP_SENDS_PER_HOUR:
        raise CodeThrottled("destination", _(
            "Too many codes were requested for this address. Try again in an hour."))
    if client_ip and not ratelimit.allow("otp-ip", client_ip, limit=settings.UNLOCKDESK_OTP_SENDS_PER_IP,
                                         window=3600):
        raise CodeThrottled("ip", _(
            "Too many codes were requested from your network. Try again in an hour."))
    if not ratelimit.allow("otp-all", "all", limit=settings.UNLOCKDESK_OTP_SENDS_PER_MINUTE, window=60):
        raise CodeThrottled("global", _(
            "We are sending a great many codes right now. Please try again in a few minutes."))
    minutes = settings.UNLOCKDESK_OTP_TTL_SECONDS // 60
    _deliver(kind, value, dest, lambda code: _(
        "Your %(brand)s support sign-in code is %(code)s. It expires in %(minutes)d minutes. "
        "Support staff will never ask you for this code."
    ) % {"brand": settings.BRAND.name_here(), "code": code, "minutes": minutes})


def send_freeze_code(phone: str) -> None:
    """Text a freeze code to a registered phone (the IVR's emergency freeze).

    Its own quota per number (UNLOCKDESK_FREEZE_CODES_PER_HOUR), untouched by sign-in codes
    and by the per-IP and global sign-in budgets. Raises CodeThrottled past that quota, and
    sending.SmsOff / SmsFailed as send_code does.
    """
    if not sending.sms_enabled():
        raise sending.SmsOff
    dest = _destination_hash("phone", phone, purpose=FREEZE)
    if _sent_last_hour(dest) >= settings.UNLOCKDESK_FREEZE_CODES_PER_HOUR:
        raise CodeThrottled("destination", _(
            "Too many codes were requested for this address. Try again in an hour."))
    minutes = settings.UNLOCKDESK_OTP_TTL_SECONDS // 60
    _deliver("phone", phone, dest, lambda code: _(
        "Your %(brand)s account freeze code is %(code)s. Enter it on the call to freeze your "
        "account. It expires in %(minutes)d minutes. Support staff will never ask you for this code."
    ) % {"brand": settings.BRAND.name_here(), "code": code, "minutes": minutes})


def verify_freeze_code(phone: str, code: str) -> None:
    """Accept the newest live freeze code for this phone once; raise CodeRejected otherwise."""
    _verify(_destination_hash("phone", phone, purpose=FREEZE), code)


def _sent_last_hour(dest: str) -> int:
    hour_ago = timezone.now() - timedelta(hours=1)
    return CustomerCode.objects.filter(destination_hash=dest, created_at__gte=hour_ago).count()


def _deliver(kind: str, value: str, dest: str, wording: Callable[[str], str]) -> None:
    code = f"{secrets.randbelow(10**6):06d}"
    CustomerCode.objects.create(
        destination_hash=dest,
        code_hash=_code_hash(dest, code),
        expires_at=timezone.now() + timedelta(seconds=settings.UNLOCKDESK_OTP_TTL_SECONDS),
    )
    text = wording(code)
    if kind == "email":
        sending.send_email(to=value, subject=_("Your support sign-in code"), text=text)
    else:
        sending.send_sms(to=value, text=text, purpose=sending.CODE, params={"code": code}, reference="code")


def verify_code(kind: str, value: str, code: str) -> None:
    """Accept the newest live code once; raise CodeRejected otherwise.

    The attempt is counted and committed before the answer is given, so a wrong guess can
    never be rolled back by the rejection itself.
    """
    _verify(_destination_hash(kind, value), code)


def _verify(dest: str, code: str) -> None:
    max_attempts = settings.UNLOCKDESK_OTP_MAX_ATTEMPTS
    wrong = _("This code is wrong or has expired. Request a new one.")
    with transaction.atomic():
        current = (
            CustomerCode.objects.select_for_update()
            .filter(destination_hash=dest, used_at__isnull=True, expires_at__gt=timezone.now())
            .first()
        )
        if current is None:
            error: str | None = wrong
        else:
            CustomerCode.objects.filter(pk=current.pk).update(attempts=F("attempts") + 1)
            if current.attempts + 1 > max_attempts:
                error = _("Too many wrong attempts. Request a new code.")
            elif not hmac.compare_digest(_code_hash(dest, code.strip()), current.code_hash):
                error = wrong
            else:
                error = None
                CustomerCode.objects.filter(pk=current.pk).update(used_at=timezone.now())
    if error:
        raise CodeRejected(error)
