"""Who is on the other end of a visitor socket.

Three proofs, strongest first: the portal session (one-time code already verified), an HMAC of
the exchange UID signed by the exchange's own site with a shared secret (Chatwoot's
`identifier_hash`), or a one-time code entered in the widget. Without any of them the visitor
is anonymous, known only by the visitor id inside a token we signed. A UID the browser sends
without a valid HMAC is refused, never trusted.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext as _

from unlockdesk.accounts.identifiers import mask_email, mask_phone
from unlockdesk.tickets.customer_session import SESSION_KEY
from unlockdesk.tickets.models import Contact
from unlockdesk.tickets.types import IdentityKind, SenderIdentity

_TOKEN_SALT = "unlockdesk.chat.visitor"  # noqa: S105 - a signing salt, not a secret
TOKEN_MAX_AGE = 60 * 60 * 24 * 180


class IdentityRejected(Exception):
    """A claimed identity failed its proof; the message is safe to show."""


@dataclass(frozen=True)
class VisitorIdentity:
    kind: IdentityKind
    value: str
    verified: bool

    @property
    def sender(self) -> SenderIdentity:
        return SenderIdentity(self.kind, self.value, verified=self.verified)

    @property
    def label(self) -> str:
        """What the widget and the console show: masked, never the full address."""
        return masked_label(self.kind, self.value)


def masked_label(kind: str, value: str) -> str:
    if kind == IdentityKind.EMAIL:
        return mask_email(value)
    if kind == IdentityKind.PHONE:
        return mask_phone(value)
    if kind == IdentityKind.UID:
        return f"UID {value[:2]}***{value[-2:]}" if len(value) > 4 else "UID ***"
    return _("Visitor")


def new_visitor_token() -> tuple[str, str]:
    """A fresh visitor id and the signed token that carries it."""
    visitor = secrets.token_hex(16)
    return visitor, signing.dumps(visitor, salt=_TOKEN_SALT)


def visitor_from_token(token: str) -> str | None:
    """The visitor id inside a token we signed, or None for a forged or expired one."""
    if not token or len(token) > 512:
        return None
    try:
        visitor = signing.loads(token, salt=_TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    return visitor if isinstance(visitor, str) else None


def uid_hash(uid: str) -> str:
    """What the exchange's site computes for a signed-in user (hex HMAC-SHA256 of the UID)."""
    secret = settings.UNLOCKDESK_CHAT_IDENTITY_SECRET.encode()
    return hmac.new(secret, uid.encode(), hashlib.sha256).hexdigest()


def identity_from_uid(uid: str, claimed_hash: str) -> VisitorIdentity:
    """A proven UID identity; raises IdentityRejected unless the HMAC matches."""
    uid = uid.strip()
    if not settings.UNLOCKDESK_CHAT_IDENTITY_SECRET:
        raise IdentityRejected(_("Signed-in identification is not configured on this desk."))
    if not uid or len(uid) > 64 or not hmac.compare_digest(uid_hash(uid), claimed_hash.strip()):
        raise IdentityRejected(_("We could not confirm who you are. Please sign in again."))
    return VisitorIdentity(IdentityKind.UID, uid, verified=True)


def identity_from_session(session: Any) -> VisitorIdentity | None:
    """The portal's proven identity, when the socket carries a signed-in portal session."""
    if session is None:
        return None
    data = session.get(SESSION_KEY)
    if not data or not Contact.objects.filter(pk=data.get("contact")).exists():
        return None
    return VisitorIdentity(IdentityKind(data["kind"]), data["value"], verified=True)


def anonymous(visitor: str) -> VisitorIdentity:
    return VisitorIdentity(IdentityKind.CHAT_VISITOR, visitor, verified=False)
