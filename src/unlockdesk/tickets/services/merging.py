"""Merging two contacts that are the same person (an email sender and a Telegram user, say).

Merging changes what a customer sees in the portal: whoever proves any identity of the kept
contact sees every ticket of both. So only a supervisor may merge, contacts proven to
*different* accounts are never merged, and every merge is audited.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from unlockdesk.safety import audit
from unlockdesk.staff.models import Agent, Role
from unlockdesk.tickets.events import record_event
from unlockdesk.tickets.exceptions import TicketAccessDenied
from unlockdesk.tickets.models import Contact, ContactIdentity, EventKind, Message, Ticket


class MergeRefused(Exception):
    """The two contacts cannot be merged; the message says why."""


def merge_contacts(*, keep: Contact, other: Contact, by: Agent) -> Contact:
    if not by.has_role(Role.SUPERVISOR):
        raise TicketAccessDenied
    if keep.pk == other.pk:
        raise MergeRefused(_("These are the same contact."))
    if keep.account_id and other.account_id and keep.account_id != other.account_id:
        raise MergeRefused(_("The contacts proved different exchange accounts."))
    with transaction.atomic():
        moved = list(Ticket.objects.filter(contact=other).values_list("pk", flat=True))
        ContactIdentity.objects.filter(contact=other).update(contact=keep)
        Ticket.objects.filter(contact=other).update(contact=keep)
        Message.objects.filter(contact=other).update(contact=keep)
        if keep.account_id is None and other.account_id is not None:
            keep.account_id = other.account_id
            keep.save(update_fields=["account"])
        actor = audit.actor_of(by)
        for ticket in Ticket.objects.filter(pk__in=moved):
            record_event(ticket, EventKind.ACCOUNT, actor=actor, merged_into_contact=keep.pk)
        audit.record(actor=actor, action="contact.merge", target=f"contact:{keep.pk}",
                     merged=other.pk, tickets=len(moved))
        other.delete()
    return keep
