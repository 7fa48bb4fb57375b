"""Normalising and masking the identifiers customers type: emails, phone numbers, ID numbers."""

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

DEFAULT_REGION = "CN"


def normalize_email(value: str) -> str:
    """Lower-cased, stripped email; raises ValidationError with a clear message when malformed."""
    email = value.strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError(_("This is not a valid email address.")) from exc
    return email


def normalize_phone(value: str, region: str = DEFAULT_REGION) -> str:
    """E.164 form (+8613800138000); raises ValidationError when it is not a possible number."""
    try:
        number = phonenumbers.parse(value.strip(), region)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(_("This is not a valid phone number.")) from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(_("This is not a valid phone number."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def looks_like_email(value: str) -> bool:
    return "@" in value


def normalize_contact_address(value: str) -> tuple[str, str]:
    """('email'|'phone', normalised value) for what a customer typed in a sign-in form."""
    if looks_like_email(value):
        return "email", normalize_email(value)
    return "phone", normalize_phone(value)


def normalize_id_number(value: str) -> str:
    return re.sub(r"\s+", "", value).upper()


def mask_id_number(value: str) -> str:
    """First 3 and last 4 visible: 110***********123X."""
    value = normalize_id_number(value)
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_name(value: str) -> str:
    """张** / J*** D**: enough for an agent to recognise, not to copy."""
    parts = value.split()
    if len(parts) > 1:
        return " ".join(p[0] + "*" * (len(p) - 1) for p in parts)
    return value[:1] + "*" * max(len(value) - 1, 1)


def mask_email(value: str) -> str:
    local, _sep, domain = value.partition("@")
    return f"{local[:2]}***@{domain}" if domain else "***"


def mask_phone(value: str) -> str:
    return value[:4] + "*" * max(len(value) - 8, 2) + value[-4:] if len(value) > 8 else "***"
