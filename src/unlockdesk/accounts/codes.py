"""One-time sign-in codes for the customer portal.

A locked-out customer cannot log in to the exchange, so they prove control of their
registered email or phone instead. Only keyed hashes are stored; codes expire, allow a few
attempts and are rate-limited per destination. Responses never reveal whether an address
is registered.
"""

import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from unlockdesk import crypto, sending
from unlockdesk.accounts.models import CustomerCode


class CodeRejected(Exception):
    """Wrong, expired or exhausted code; the message is safe to show."""


class CodeThrottled(Exception):
    """Too many codes requested for this destination in the last hour."""


def _destination_hash(kind: str, value: str) -> str:
    return crypto.keyed_hash(f"{kind}:{value}", purpose="otp-destination")


def _code_hash(destination_hash: str, code: str) -> str:
    return crypto.keyed_hash(f"{destination_hash}:{code}", purpose="otp-code")


def send_code(kind: str, value: str) -> None:
    """Create a code for a normalised email or phone and deliver it there.

    Raises sending.SmsOff (before any code exists) when phones cannot be texted, and SmsFailed
    when the provider did not take the text: a code is never said to be sent when it was not.
    """
    if kind != "email" and not sending.sms_enabled():
        raise sending.SmsOff
    dest = _destination_hash(kind, value)
    hour_ago = timezone.now() - timedelta(hours=1)
    if (
        CustomerCode.objects.filter(destination_hash=dest, created_at__gte=hour_ago).count()
        >= settings.UNLOCKDESK_OTP_SENDS_PER_HOUR
    ):
        raise CodeThrottled
    code = f"{secrets.randbelow(10**6):06d}"
    CustomerCode.objects.create(
        destination_hash=dest,
        code_hash=_code_hash(dest, code),
        expires_at=timezone.now() + timedelta(seconds=settings.UNLOCKDESK_OTP_TTL_SECONDS),
    )
    minutes = settings.UNLOCKDESK_OTP_TTL_SECONDS // 60
    text = _(
        "Your %(brand)s support sign-in code is %(code)s. It expires in %(minutes)d minutes. "
        "Support staff will never ask you for this code."
    ) % {"brand": settings.BRAND.name_en, "code": code, "minutes": minutes}
    if kind == "email":
        sending.send_email(to=value, subject=_("Your support sign-in code"), text=text)
    else:
        sending.send_sms(to=value, text=text, purpose=sending.CODE, params={"code": code}, reference="code")


def verify_code(kind: str, value: str, code: str) -> None:
    """Accept the newest live code once; raise CodeRejected otherwise.

    The attempt is counted and committed before the answer is given, so a wrong guess can
    never be rolled back by the rejection itself.
    """
    dest = _destination_hash(kind, value)
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
