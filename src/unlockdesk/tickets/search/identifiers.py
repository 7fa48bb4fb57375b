"""Exact identifiers an agent pastes: email, phone, handle, UID, transaction ID or hash, number.

They are looked up in their own indexed tables rather than only in the text index, so a
ticket is found by the contact's *current* addresses (after a merge, a new verified phone)
and by any transaction of its account, which no ticket text need mention.
"""

import re

from django.core.exceptions import ValidationError
from django.db.models import Q

from unlockdesk.accounts.identifiers import normalize_email, normalize_phone
from unlockdesk.accounts.models import ExchangeAccount, Transaction
from unlockdesk.tickets import numbering
from unlockdesk.tickets.models import ContactIdentity
from unlockdesk.tickets.types import IdentityKind

_PHONE = re.compile(r"\+?[\d\s\-().]{6,24}")
_UID = re.compile(r"\d{4,32}")
_TRANSACTION = re.compile(r"[0-9A-Za-z][0-9A-Za-z_\-:]{7,129}")
_HANDLE_KINDS = [IdentityKind.TELEGRAM, IdentityKind.X, IdentityKind.FACEBOOK]
_MAX_IDS = 200


def _contacts(kind: IdentityKind | list[IdentityKind], value: str) -> list[int]:
    kinds = kind if isinstance(kind, list) else [kind]
    return list(ContactIdentity.objects.filter(kind__in=kinds, value=value)
                .values_list("contact_id", flat=True)[:_MAX_IDS])


def identifier_condition(query: str) -> Q | None:
    """A condition on tickets for what `query` names exactly, or None when it names nothing.

    Only the lookups the query's shape allows run (an email is not tried as a phone), each
    one indexed query.
    """
    text = query.strip()
    number = numbering.normalize(text)
    condition = Q(number=number) if number else Q(pk__in=[])
    if not text or (" " in text and not _PHONE.fullmatch(text)):
        return condition if number else None
    contact_ids: list[int] = []
    account_ids: list[int] = []
    if "@" in text[1:]:
        try:
            email = normalize_email(text)
        except ValidationError:
            email = ""
        if email:
            contact_ids += _contacts(IdentityKind.EMAIL, email)
            account_ids += ExchangeAccount.objects.filter(email=email).values_list("pk", flat=True)[:_MAX_IDS]
    elif _PHONE.fullmatch(text) and sum(ch.isdigit() for ch in text) >= 6:
        try:
            phone = normalize_phone(text)
        except ValidationError:
            phone = ""
        if phone:
            contact_ids += _contacts(IdentityKind.PHONE, phone)
            account_ids += ExchangeAccount.objects.filter(phone=phone).values_list("pk", flat=True)[:_MAX_IDS]
    if text.startswith("@") or re.fullmatch(r"(tg|x|fb):\S+", text):
        contact_ids += _contacts(_HANDLE_KINDS, text)
    if _UID.fullmatch(text):
        account_ids += ExchangeAccount.objects.filter(uid=text).values_list("pk", flat=True)[:1]
    if _TRANSACTION.fullmatch(text):
        account_ids += (Transaction.objects.filter(Q(tx_hash__in={text, text.lower()}) | Q(tx_id=text))
                        .values_list("account_id", flat=True)[:_MAX_IDS])
    if contact_ids:
        condition |= Q(contact_id__in=sorted(set(contact_ids)))
    if account_ids:
        condition |= Q(account_id__in=sorted(set(account_ids)))
    return condition if condition != Q(pk__in=[]) else None
