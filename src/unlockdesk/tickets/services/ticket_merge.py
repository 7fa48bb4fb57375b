"""Merging two tickets of one customer, and splitting a message out into a new ticket.

Merge: every message of the merged ticket (with its attachments) moves to the kept ticket,
numbered after the kept ticket's last message, so each ticket's sequence numbers only ever
grow and live viewers never see a number twice; its timeline moves too. The merged ticket is
closed with a pointer (`merged_into`) and the customer is told on its channel, in its language,
where the case continues. Split: one customer message becomes the first message of a new
ticket of the same customer. Both keep the search index in step, are atomic, audited and on
both tickets' timelines.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from unlockdesk.chinese import for_reader
from unlockdesk.safety import audit
from unlockdesk.staff.models import Agent
from unlockdesk.tickets import selectors, sla, tags
from unlockdesk.tickets.events import announce, record_event
from unlockdesk.tickets.exceptions import TicketAccessDenied
from unlockdesk.tickets.models import Direction, EventKind, Message, Status, Ticket, TicketEvent
from unlockdesk.tickets.numbering import new_number
from unlockdesk.tickets.search.index import reindex_ticket
from unlockdesk.tickets.services.auto_messages import notify_customer


class TicketMergeRefused(Exception):
    """The merge or split cannot be done; the message says why and nothing changed."""


def _visible(by: Agent, *tickets: Ticket) -> None:
    ids = {t.pk for t in tickets}
    if selectors.visible_tickets(by).filter(pk__in=ids).count() != len(ids):
        raise TicketAccessDenied


def _same_customer(a: Ticket, b: Ticket) -> bool:
    return a.contact_id == b.contact_id or (a.account_id is not None and a.account_id == b.account_id)


def _has_unlock_application(ticket: Ticket) -> bool:
    # By the relation's name: the unlock app sits above tickets and is not imported here.
    return Ticket.objects.filter(pk=ticket.pk, unlock_application__isnull=False).exists()


def merge_notice(*, merged: Ticket, kept: Ticket) -> str:
    with override(merged.language or "zh-hans"):
        text = _("Your ticket %(merged)s is about the same request as ticket %(kept)s, so we have "
                 "merged them. We continue under ticket %(kept)s; everything you sent is kept there.") % {
            "merged": merged.number, "kept": kept.number}
    return for_reader(text, merged.language)


def split_notice(*, ticket: Ticket, source: Ticket) -> str:
    with override(ticket.language or "zh-hans"):
        text = _("We are handling your latest question separately, as ticket %(number)s, so that "
                 "it gets its own answer. Ticket %(source)s continues as before.") % {
            "number": ticket.number, "source": source.number}
    return for_reader(text, ticket.language)


def _check_merge(keep: Ticket, other: Ticket) -> None:
    if keep.pk == other.pk:
        raise TicketMergeRefused(_("A ticket cannot be merged into itself."))
    if not _same_customer(keep, other):
        raise TicketMergeRefused(_("Only tickets of the same customer can be merged."))
    if keep.merged_into_id or other.merged_into_id:
        raise TicketMergeRefused(_("One of these tickets was merged already."))
    if keep.status == Status.CLOSED:
        raise TicketMergeRefused(_("A closed ticket cannot take in another; merge into an open one."))
    if _has_unlock_application(other):
        raise TicketMergeRefused(_("Ticket %(number)s carries an unlock application: merge the other "
                                   "ticket into it instead.") % {"number": other.number})


def merge_tickets(*, keep: Ticket, other: Ticket, by: Agent) -> Ticket:
    """Move everything of `other` into `keep` and close `other`; returns the kept ticket.

    Any agent who may see both tickets may merge them: they are one customer's, so nobody
    gains sight of anything. Raises TicketMergeRefused or TicketAccessDenied, changing nothing.
    """
    _visible(by, keep, other)
    actor = audit.actor_of(by)
    with transaction.atomic():
        rows = {t.pk: t for t in Ticket.objects.select_for_update()
                .filter(pk__in=sorted([keep.pk, other.pk])).order_by("pk")}
        kept, merged = rows[keep.pk], rows[other.pk]
        _check_merge(kept, merged)
        moving = list(Message.objects.filter(ticket=merged).order_by("seq"))
        for offset, message in enumerate(moving, start=1):
            message.headers = {**message.headers, "merged_from": {"ticket": merged.number,
                                                                  "seq": message.seq}}
            message.ticket, message.seq = kept, kept.last_seq + offset
        Message.objects.bulk_update(moving, ["ticket", "seq", "headers"])
        moved_events = TicketEvent.objects.filter(ticket=merged).update(ticket=kept)
        current = list(kept.tags.values_list("name", flat=True))
        added = [n for n in merged.tags.values_list("name", flat=True)
                 if n not in current][: max(tags.MAX_PER_TICKET - len(current), 0)]
        kept.tags.add(*merged.tags.filter(name__in=added))
        now = timezone.now()
        kept.last_seq += len(moving)
        kept.priority = min(kept.priority, merged.priority)
        kept.account_id = kept.account_id or merged.account_id
        kept.updated_at = now
        kept.save(update_fields=["last_seq", "priority", "account", "updated_at"])
        label = f"{merged.number} → {kept.number}"
        record_event(kept, EventKind.MERGED, actor=actor, new=label, merged=merged.number,
                     messages=len(moving), events=moved_events, tags=added)
        record_event(merged, EventKind.MERGED, actor=actor, new=label, into=kept.number)
        old_status = merged.status
        merged.status, merged.merged_into, merged.resolved_at, merged.updated_at = (
            Status.CLOSED, kept, merged.resolved_at or now, now)
        merged.save(update_fields=["status", "merged_into", "resolved_at", "updated_at"])
        record_event(merged, EventKind.STATUS, actor=actor, old=old_status, new=Status.CLOSED)
        audit.record(actor=actor, action="ticket.merge", target=f"ticket:{kept.number}",
                     merged=merged.number, messages=len(moving))
        notify_customer(merged, merge_notice(merged=merged, kept=kept), topic="merged")
        reindex_ticket(kept)
        reindex_ticket(merged)
    announce(kept, "merged", merged=merged.number)
    announce(merged, "status", status=Status.CLOSED)
    return kept


def _subject_of(message: Message) -> str:
    if message.subject.strip():
        return message.subject.strip()[:255]
    first_line = next((line.strip() for line in message.body_text.splitlines() if line.strip()), "")
    return first_line[:80] or message.ticket.subject


def split_message(*, ticket: Ticket, seq: int, by: Agent) -> Ticket:
    """Move the customer's message `seq` of `ticket` to a new ticket of the same customer
    (same channel, language, queue, category and priority; a fresh SLA clock); returns it.

    The source ticket keeps a gap at `seq` and a timeline entry pointing to the new ticket;
    the customer is told the new number on their channel.
    """
    _visible(by, ticket)
    actor = audit.actor_of(by)
    with transaction.atomic():
        source = Ticket.objects.select_for_update().get(pk=ticket.pk)
        message = Message.objects.filter(ticket=source, seq=seq).first()
        if message is None:
            raise TicketMergeRefused(_("There is no such message on this ticket."))
        if message.direction != Direction.INBOUND:
            raise TicketMergeRefused(_("Only a customer's message can start a new ticket."))
        if Message.objects.filter(ticket=source, direction=Direction.INBOUND).count() < 2:
            raise TicketMergeRefused(_("The ticket's only customer message cannot be split out."))
        now = timezone.now()
        first_due, resolve_due = sla.due_times(source.priority, now)
        number = new_number()
        while Ticket.objects.filter(number=number).exists():
            number = new_number()
        new = Ticket.objects.create(
            number=number, subject=_subject_of(message), category=source.category,
            priority=source.priority, status=Status.NEW, channel=message.channel,
            language=source.language, contact=source.contact, account=source.account,
            queue=source.queue, first_response_due=first_due, resolution_due=resolve_due,
            created_at=now, updated_at=now, last_seq=1,
        )
        message.headers = {**message.headers, "split_from": {"ticket": source.number, "seq": seq}}
        message.ticket, message.seq = new, 1
        message.save(update_fields=["ticket", "seq", "headers"])
        label = f"{source.number} #{seq} → {new.number}"
        record_event(new, EventKind.CREATED, actor=actor, channel=new.channel, category=new.category,
                     priority=int(new.priority), split_from=source.number)
        record_event(new, EventKind.SPLIT, actor=actor, new=label, source=source.number, seq=seq)
        record_event(source, EventKind.SPLIT, actor=actor, new=label, into=new.number, seq=seq)
        Ticket.objects.filter(pk=source.pk).update(updated_at=now)
        audit.record(actor=actor, action="ticket.split", target=f"ticket:{source.number}",
                     seq=seq, into=new.number)
        reindex_ticket(source)
        reindex_ticket(new)
        notify_customer(new, split_notice(ticket=new, source=source), topic="split")
    announce(new, "message", status="created")
    announce(source, "split", into=new.number)
    return new
