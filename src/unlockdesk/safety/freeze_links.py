"""Signed, expiring emergency-freeze links for security email.

The link names the account and is signed with the site key (django.core.signing), so it
cannot be forged or pointed at another account; it expires after FREEZE_LINK_MAX_AGE. It can
only freeze: there is no token that unfreezes anything.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing

from unlockdesk.accounts.models import ExchangeAccount

SALT = "unlockdesk.safety.freeze-link"
FREEZE_LINK_MAX_AGE = timedelta(days=7)


class BadFreezeLink(Exception):
    """Tampered, expired or unknown; the view shows one clear message for all three."""


def freeze_token(account: ExchangeAccount) -> str:
    return signing.dumps({"uid": account.uid}, salt=SALT, compress=True)


def freeze_url(account: ExchangeAccount) -> str:
    return f"{settings.SITE_URL}/freeze/{freeze_token(account)}/"


def account_for_token(token: str) -> ExchangeAccount:
    try:
        data = signing.loads(token, salt=SALT, max_age=FREEZE_LINK_MAX_AGE)
    except signing.BadSignature as exc:  # SignatureExpired is a BadSignature
        raise BadFreezeLink from exc
    account = ExchangeAccount.objects.filter(uid=str(data.get("uid", ""))).first()
    if account is None:
        raise BadFreezeLink
    return account
