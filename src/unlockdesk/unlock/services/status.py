"""The application's status machine: every change on the ticket timeline and told to the customer."""

from typing import Any

from django.utils import timezone

from unlockdesk.tickets.events import announce, record_event
from unlockdesk.tickets.models import EventKind
from unlockdesk.tickets.services import notify_customer
from unlockdesk.unlock.estimate import wait_estimate
from unlockdesk.unlock.exceptions import ApplicationNotEditable
from unlockdesk.unlock.models import UnlockApplication
from unlockdesk.unlock.texts import status_notice
from unlockdesk.unlock.types import TRANSITIONS, ApplicationStatus


def transition(application: UnlockApplication, to: ApplicationStatus, *, actor: str,
               fields: tuple[str, ...] = (), **notice: Any) -> None:
    """Move to `to` (the caller holds the row in a transaction); refuses any move not in TRANSITIONS.

    Records an `unlock` event on the ticket and appends a notice delivered on the ticket's
    channel, with a measured wait estimate where waiting follows.
    """
    old = application.status
    if to not in TRANSITIONS[old]:
        raise ApplicationNotEditable(f"{old} -> {to}")
    application.status = to
    application.updated_at = timezone.now()
    application.save(update_fields=["status", "updated_at", *fields])
    ticket = application.ticket
    if ticket is None:
        return
    record_event(ticket, EventKind.UNLOCK, actor=actor, application=application.pk, old=old, new=to)
    estimate = wait_estimate() if to in (ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW) else None
    text = status_notice(status=to, language=ticket.language, number=ticket.number,
                         estimate=estimate, **notice)
    notify_customer(ticket, text, topic=f"unlock:{to}")
    announce(ticket, "unlock", status=to)


def locked(application_id: int) -> UnlockApplication:
    """The application row, locked for the rest of the caller's transaction."""
    return (UnlockApplication.objects.select_for_update(of=("self",))
            .select_related("ticket", "account", "contact").get(pk=application_id))
