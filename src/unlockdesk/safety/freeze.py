"""The emergency freeze, one service for every way in: the portal (after the one-time code),
the signed link in official email, and the phone IVR (after the code texted to the registered
number).

Whatever the way in, the result is the same: login, trade and withdraw frozen through the
gateway (never a second lock on an account already frozen), a P1 ticket in the security queue,
and a confirmation email to the account's address. Nothing here can lift a lock.
"""

import uuid
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import override

from unlockdesk import integration_events, sending
from unlockdesk.accounts import services as account_services
from unlockdesk.accounts.models import ExchangeAccount
from unlockdesk.accounts.types import FREEZE_RESTRICTIONS, LockReason
from unlockdesk.integration_events import EventType
from unlockdesk.safety import audit
from unlockdesk.tickets.models import Priority
from unlockdesk.tickets.services import open_case
from unlockdesk.tickets.types import Channel, IdentityKind, InboundMessage, SenderIdentity

SECURITY_QUEUE = "security"


@dataclass(frozen=True)
class FreezeOutcome:
    ticket_number: str
    already_frozen: bool


def _is_frozen(account: ExchangeAccount) -> bool:
    return any(
        set(FREEZE_RESTRICTIONS) <= set(lock.restrictions)
        for lock in account.locks.filter(lifted_at__isnull=True)
    )


def emergency_freeze(
    account: ExchangeAccount,
    *,
    actor: str,
    via: str,
    language: str,
    channel: Channel = Channel.WEB,
    sender: SenderIdentity | None = None,
    external_id: str = "",
) -> FreezeOutcome:
    """Freeze login, trade and withdraw through the gateway and open a P1 security ticket.

    Idempotent for the account's safety: an account already frozen is not locked again, but
    the request still reaches the security queue. `channel`, `sender` and `external_id` say
    where the request came from (the IVR passes the phone call, so a retried event lands
    once); by default it is a portal item from the account's own address. The confirmation
    email goes to the account's email address, once per stored request.
    """
    already = _is_frozen(account)
    if not already:
        account_services.freeze_account(account, actor=actor, note=f"emergency freeze ({via})")
    else:
        audit.record(actor=actor, action="account.freeze_repeat", target=f"account:{account.uid}",
                     via=via)
    if sender is None:
        sender = (SenderIdentity(IdentityKind.EMAIL, account.email, verified=True) if account.email
                  else SenderIdentity(IdentityKind.PHONE, account.phone, verified=True))
    with override(language):
        text = _("Emergency freeze requested by the account owner (%(via)s). Login, trade and "
                 "withdraw are frozen. Please contact the customer and check recent activity.") % {
            "via": via}
        receipt = open_case(InboundMessage(
            channel=channel, external_id=external_id or f"freeze:{uuid.uuid4()}", sender=sender,
            subject=_("Emergency freeze"), text=text, language=language,
        ), priority=Priority.URGENT, queue_slug=SECURITY_QUEUE)
        if account.email and receipt.status != "duplicate":
            sending.send_email(
                to=account.email,
                subject=_("Your account is frozen [%(number)s]") % {"number": receipt.ticket_number},
                text=_("Your account is frozen: login, trading and withdrawals are blocked. Ticket "
                       "%(number)s is open with our security team. If you did not ask for this, "
                       "contact support through the portal; nobody can unfreeze it by email or "
                       "by phone call.") % {"number": receipt.ticket_number},
            )
    integration_events.publish(EventType.FREEZE_REQUESTED, {
        "account_uid": account.uid, "via": via, "already_frozen": already,
        "ticket": receipt.ticket_number})
    return FreezeOutcome(receipt.ticket_number, already)


def freeze_reason_is_self(account: ExchangeAccount) -> bool:
    """True when the account carries an active owner's freeze (what the portal shows)."""
    return account.locks.filter(lifted_at__isnull=True, reason=LockReason.SELF_FREEZE).exists()
