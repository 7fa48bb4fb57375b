"""The email or phone the applicant gives belongs to the account they name."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from unlockdesk.accounts.identifiers import looks_like_email, normalize_email, normalize_phone
from unlockdesk.verification.checks.results import result
from unlockdesk.verification.registry import register
from unlockdesk.verification.types import CheckContext, Result, Status

CHECK = "account_contact"


def _mask(value: str) -> str:
    if "@" in value:
        local, _at, domain = value.partition("@")
        return f"{local[:2]}***@{domain}"
    return value[:4] + "****" + value[-3:] if len(value) > 7 else "****"


@register(CHECK)
def account_contact(context: CheckContext) -> list[Result]:
    reference = context.application.account_reference.strip()
    account = context.account
    if not reference:
        return [result(CHECK, Status.NOT_AVAILABLE, "none_given", _("No account email or phone was given."),
                       detail="no account reference typed")]
    if account is None:
        return [result(CHECK, Status.FAIL, "unknown",
                       _("The email, phone or UID you gave does not belong to any account. Please check it."),
                       detail=f"{_mask(reference)} matches no account")]
    if reference == account.uid:
        return [result(CHECK, Status.NOT_AVAILABLE, "uid_given",
                       _("You named the account by its UID; no email or phone to compare."),
                       detail=f"UID {account.uid}")]
    try:
        if looks_like_email(reference):
            kind, value, registered = "email", normalize_email(reference), account.email.strip().lower()
        else:
            kind, value, registered = "phone", normalize_phone(reference), account.phone.strip()
    except ValidationError:
        return [result(CHECK, Status.FAIL, "malformed",
                       _("The email or phone you gave is not valid. Please check it."),
                       detail="could not parse the reference")]
    if value and value == registered:
        proven = "proven by sign-in" if context.application.account_proven else "not proven by sign-in"
        return [result(CHECK, Status.PASS, "registered",
                       _("The email or phone you gave is registered to the account."),
                       detail=f"{kind} {_mask(value)} is the account's ({proven})")]
    return [result(CHECK, Status.FAIL, "not_registered",
                   _("The email or phone you gave is not the one registered to the account."),
                   detail=f"{kind} {_mask(value)} is not UID {account.uid}'s registered {kind}")]
