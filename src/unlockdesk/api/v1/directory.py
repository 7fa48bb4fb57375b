"""/api/v1/contacts and /api/v1/accounts: who a ticket is about, read-only and masked."""

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.params import P, PathEx

from unlockdesk.accounts import selectors as account_selectors
from unlockdesk.api.auth import key_of, requires
from unlockdesk.api.errors import READ_ERRORS
from unlockdesk.api.scopes import Scope
from unlockdesk.api.v1.schemas import AccountOut, ContactOut, LockOut
from unlockdesk.tickets import selectors

router = Router(tags=["contacts and accounts"])


@router.get("/contacts/{contact_id}", response={200: ContactOut, **READ_ERRORS},
            **requires(Scope.TICKETS_READ))
def get_contact(request: HttpRequest, contact_id: PathEx[int, P(ge=1, le=2**62)]) -> Any:
    """A contact with masked addresses and their latest tickets. Scope `tickets:read`."""
    agent = key_of(request).agent
    contact = selectors.contact_for_agent(agent, contact_id)
    numbers = list(selectors.tickets_of(contact).values_list("number", flat=True)[:50])
    return ContactOut.of(contact, numbers)


@router.get("/accounts/{uid}", response={200: AccountOut, **READ_ERRORS}, **requires(Scope.ACCOUNTS_READ))
def get_account(request: HttpRequest, uid: PathEx[str, P(max_length=32)]) -> Any:
    """An exchange account, masked, with its active locks. Scope `accounts:read`."""
    account = selectors.account_for_agent(key_of(request).agent, uid)
    locks = [LockOut(id=lock.id, reason=str(lock.reason), restrictions=lock.restrictions, since=lock.since,
                     auto_lift_at=lock.auto_lift_at, locked_by=lock.locked_by)
             for lock in account_selectors.active_locks(account)]
    return AccountOut.of(account, locks)
