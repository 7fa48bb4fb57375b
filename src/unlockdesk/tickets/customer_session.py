"""The portal's customer session: established only by a verified one-time code.

The session holds the proven identity, the contact and (if the address is registered) the
account. Nothing here trusts a ticket number, a UID or an address the browser sends.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from unlockdesk.accounts.models import ExchangeAccount
from unlockdesk.tickets.models import Contact
from unlockdesk.tickets.types import IdentityKind

SESSION_KEY = "customer"


@dataclass(frozen=True)
class Customer:
    contact: Contact
    account: ExchangeAccount | None
    identity_kind: IdentityKind
    identity_value: str

    @property
    def actor(self) -> str:
        return f"customer:{self.contact.pk}"


def sign_in(request: HttpRequest, *, contact: Contact, kind: IdentityKind, value: str) -> None:
    request.session.cycle_key()
    request.session[SESSION_KEY] = {
        "contact": contact.pk,
        "kind": str(kind),
        "value": value,
        "at": timezone.now().isoformat(),
    }


def sign_out(request: HttpRequest) -> None:
    request.session.flush()


def current(request: HttpRequest) -> Customer | None:
    data = request.session.get(SESSION_KEY)
    if not data:
        return None
    contact = Contact.objects.select_related("account").filter(pk=data["contact"]).first()
    if contact is None:
        return None
    return Customer(contact, contact.account, IdentityKind(data["kind"]), data["value"])


def customer_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        customer = current(request)
        if customer is None:
            return redirect(f"/portal/signin/?next={request.path}")
        return view(request, customer, *args, **kwargs)

    return wrapper
