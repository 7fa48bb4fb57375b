"""identity.resolve: from a channel identity to a contact, and to an account when proven."""

from django.utils import timezone

from unlockdesk.accounts import selectors as account_selectors
from unlockdesk.accounts.models import ExchangeAccount
from unlockdesk.prepared import PreparedInsert, PreparedRead
from unlockdesk.tickets import read_ahead
from unlockdesk.tickets.models import Contact, ContactIdentity
from unlockdesk.tickets.types import IdentityKind, SenderIdentity

# (kind, value) is unique: no ORDER BY, which first() would compile. Prepared: every
# inbound item makes this read.
_IDENTITY = PreparedRead(
    lambda kind, value: ContactIdentity.objects.select_related("contact")
    .filter(kind=kind, value=value).order_by()[:1], str, str)
# Most mail comes from someone new: a contact and its identity are inserted for it.
_INSERT_CONTACT = PreparedInsert(Contact)
_INSERT_IDENTITY = PreparedInsert(ContactIdentity)


def resolve_contact(sender: SenderIdentity, *, language: str = "zh-hans") -> Contact:
    """Get or create the contact behind `sender`; link the account only for a proven identity.

    Call inside the pipeline's transaction. An unverified email that matches an account is
    *not* linked: anyone can put any address in a From header.
    """
    return resolve_or_create_contact(sender, language=language)[0]


def resolve_or_create_contact(sender: SenderIdentity, *, language: str = "zh-hans") -> tuple[Contact, bool]:
    """resolve_contact(), and whether the contact was created now: the pipeline then knows,
    without reading, that nothing was ever sent to it."""
    identity = (read_ahead.identity(str(sender.kind), sender.value)
                or next(iter(_IDENTITY(str(sender.kind), sender.value)), None))
    created = identity is None
    if identity is None:
        contact = _INSERT_CONTACT(display_name=sender.display_name[:128], language=language)
        identity = _INSERT_IDENTITY(contact=contact, kind=sender.kind, value=sender.value)
        # Its one identity, known without a read (the search index's head lists them).
        contact._prefetched_objects_cache = {"identities": [identity]}  # type: ignore[attr-defined]
    contact = identity.contact
    if sender.verified:
        if identity.verified_at is None:
            identity.verified_at = timezone.now()
            identity.save(update_fields=["verified_at"])
        # Linked once: a contact keeps its account, so a signed-in customer's every chat
        # message does not look the account up again.
        account = proven_account(sender) if contact.account_id is None else None
        if account:
            contact.account = account
            contact.save(update_fields=["account"])
    return contact, created


def proven_account(sender: SenderIdentity) -> ExchangeAccount | None:
    if not sender.verified:
        return None
    if sender.kind == IdentityKind.UID:
        return ExchangeAccount.objects.filter(uid=sender.value).first()
    if sender.kind in (IdentityKind.EMAIL, IdentityKind.PHONE):
        return account_selectors.account_by_address(sender.kind, sender.value)
    return None


def address_of(contact: Contact, kind: IdentityKind) -> str:
    """The contact's address of `kind` to write to: the most recently verified, else the first
    given. Reads the contact's few identities (or a page's prefetch of them) and orders them
    here, where the database would disagree with itself (PostgreSQL sorts NULL first in
    descending order, SQLite last)."""
    found = [i for i in contact.identities.all() if i.kind == kind]
    verified = [i for i in found if i.verified_at is not None]
    if verified:
        return max(verified, key=lambda i: (i.verified_at, -i.pk)).value
    return min(found, key=lambda i: i.pk).value if found else ""
