"""The application's status machine: every change on the ticket timeline and told to the customer."""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from unlockdesk import integration_events, sending
from unlockdesk.integration_events import EventType
from unlockdesk.tickets.events import announce, record_event
from unlockdesk.tickets.models import EventKind
from unlockdesk.tickets.services import notify_customer
from unlockdesk.tickets.types import Channel, IdentityKind
from unlockdesk.unlock.estimate import wait_estimate
from unlockdesk.unlock.exceptions import ApplicationNotEditable
from unlockdesk.unlock.models import UnlockApplication
from unlockdesk.unlock.queue import alert_customer_after_commit
from unlockdesk.unlock.texts import status_notice, status_url
from unlockdesk.unlock.types import TRANSITIONS, ApplicationStatus

# A portal ticket's notices wait in the portal; these changes (something to do, or the outcome)
# are also announced to the address the customer signed in with, pointing back to the portal.
ALERTED = {ApplicationStatus.NEEDS_INFO, ApplicationStatus.REJECTED, ApplicationStatus.UNLOCKED}
# A reviewer's decisions, as other systems hear them (`unlock.decided`).
DECIDED = {ApplicationStatus.NEEDS_INFO, ApplicationStatus.APPROVED, ApplicationStatus.REJECTED}


def _publish(application: UnlockApplication, old: str, to: ApplicationStatus) -> None:
    """`unlock.submitted` / `unlock.decided` for outgoing webhooks, after commit."""
    if to == ApplicationStatus.SUBMITTED:
        event = EventType.UNLOCK_SUBMITTED
    elif to in DECIDED:
        event = EventType.UNLOCK_DECIDED
    else:
        return
    integration_events.publish(event, {
        "application": application.pk, "status": str(to), "previous_status": old,
        "ticket": application.ticket.number if application.ticket else None,
        "account_uid": application.account.uid if application.account else None,
    })


def transition(application: UnlockApplication, to: ApplicationStatus, *, actor: str,
               fields: tuple[str, ...] = (), **notice: Any) -> None:
    """Move to `to` (the caller holds the row in a transaction); refuses any move not in TRANSITIONS.

    Records an `unlock` event on the ticket and appends a notice delivered on the ticket's
    channel, with a measured wait estimate where waiting follows. On a portal ticket, the
    ALERTED changes are also sent to the customer's sign-in address once this commits.
    """
    old = application.status
    if to not in TRANSITIONS[old]:
        raise ApplicationNotEditable(f"{old} -> {to}")
    application.status = to
    application.updated_at = timezone.now()
    application.save(update_fields=["status", "updated_at", *fields])
    _publish(application, old, to)
    ticket = application.ticket
    if ticket is None:
        return
    record_event(ticket, EventKind.UNLOCK, actor=actor, application=application.pk, old=old, new=to)
    estimate = wait_estimate() if to in (ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW) else None
    text = status_notice(status=to, language=ticket.language, number=ticket.number,
                         estimate=estimate, **notice)
    notify_customer(ticket, text, topic=f"unlock:{to}")
    announce(ticket, "unlock", status=to)
    if ticket.channel == Channel.WEB and to in ALERTED:
        alert_customer_after_commit(application.pk, str(to))



def alert_customer(application_id: int, status: str) -> bool:
    """Email or SMS the applicant's verified sign-in address that `status` was reached.

    Says only the ticket number, the status and the link to the status page (which asks for
    the one-time code): the details stay behind the sign-in. Returns False when the contact
    has no verified email or phone, or the text could not be sent.
    """
    app = UnlockApplication.objects.select_related("contact", "ticket").get(pk=application_id)
    identity = (app.contact.identities.filter(kind__in=[IdentityKind.EMAIL, IdentityKind.PHONE],
                                              verified_at__isnull=False)
                .order_by("-verified_at", "-id").first())
    if identity is None or app.ticket is None:
        return False
    with override(app.ticket.language):
        values = {"number": app.ticket.number, "status": str(ApplicationStatus(status).label),
                  "url": status_url(app.ticket.number)}
        text = _("Your unlock application %(number)s: %(status)s. Sign in with a one-time code to "
                 "see the details: %(url)s") % values
        subject = _("Unlock application %(number)s: %(status)s") % values
    if identity.kind == IdentityKind.EMAIL:
        sending.send_email(to=identity.value, subject=subject, text=text)
    else:
        try:
            sending.send_sms(to=identity.value, text=text, purpose=sending.STATUS,
                             params={"ticket": values["number"], "status": values["status"]},
                             reference=f"application:{app.pk}")
        except sending.SmsFailed:
            return False  # SMS off or refused (kept in SmsDelivery); the status page shows it
    return True


def locked(application_id: int) -> UnlockApplication:
    """The application row, locked for the rest of the caller's transaction."""
    return (UnlockApplication.objects.select_for_update(of=("self",))
            .select_related("ticket", "account", "contact").get(pk=application_id))
