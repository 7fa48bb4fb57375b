"""reply() and deliver(): the outbound half of the pipeline.

console/API reply -> safety.guard -> persist -> adapter.deliver, with the delivery status
recorded and retried with back-off by the task queue.
"""

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from unlockdesk.chinese import for_reader
from unlockdesk.prepared import PreparedRead, PreparedUpdate
from unlockdesk.safety import audit
from unlockdesk.safety import services as safety
from unlockdesk.staff.models import Agent, Role
from unlockdesk.tickets import attachments, hooks, queue
from unlockdesk.tickets.contacts import address_of
from unlockdesk.tickets.events import announce, publish_message, record_event
from unlockdesk.tickets.exceptions import AttachmentRejected, ReplyBlocked, TicketAccessDenied
from unlockdesk.tickets.models import Delivery, Direction, EventKind, Message, Status, Ticket
from unlockdesk.tickets.services import sla_clock
from unlockdesk.tickets.services.inbound import append_message
from unlockdesk.tickets.types import (
    Channel,
    DeliveryResult,
    IdentityKind,
    OutboundFile,
    OutboundMessage,
)

MAX_DELIVERY_ATTEMPTS = 6
# Longer than any adapter's own timeout: a worker still sending keeps the message to itself.
DELIVERY_LEASE = timedelta(minutes=2)
# A pending message this late past its due time has lost its task (broker down when it was
# queued, worker killed): the sweep queues it again.
OVERDUE_AFTER = timedelta(minutes=5)
# Files on one reply, at most; each passes the upload checks (`tickets.attachments.check`).
MAX_REPLY_FILES = 5
# Channels whose customer sees the ticket's stored files in the desk's own pages or in mail.
_FILES_IN_OUR_PAGES = frozenset({"image/jpeg", "image/png", "application/pdf"})

# Every answer sent (acknowledgements, warnings, replies) makes these two statements.
_TO_SEND = PreparedRead(lambda pk: Message.objects.select_related(
    "ticket", "ticket__contact", "ticket__account", "author").filter(pk=pk)[:1], int)
_UPDATE_MESSAGE = PreparedUpdate(Message)
# The customer's message ids an email answer refers to (In-Reply-To, References): read for
# every email sent.
_REFERENCES = PreparedRead(lambda ticket_id: Message.objects.filter(
    ticket_id=ticket_id, direction=Direction.INBOUND).exclude(external_id="").only("external_id"), int)


def check_reply_files(channel: Channel, files: Sequence[tuple[str, bytes]]
                      ) -> list[attachments.CheckedFile]:
    """The agent's files, checked like every upload and allowed on the ticket's channel;
    AttachmentRejected (nothing stored) for the first one that is not."""
    if len(files) > MAX_REPLY_FILES:
        raise AttachmentRejected("too_many", _("At most %(n)d files per reply.") % {"n": MAX_REPLY_FILES})
    allowed = _channel_file_types(channel)
    checked = []
    for name, content in files:
        item = attachments.check(name, content)
        if item.content_type not in allowed:
            raise AttachmentRejected("channel", _(
                "%(channel)s cannot carry this kind of file (%(name)s). Send a picture, or send "
                "the document by email.") % {"channel": channel.label, "name": item.filename})
        checked.append(item)
    return checked


def _channel_file_types(channel: Channel) -> frozenset[str]:
    if channel in (Channel.EMAIL, Channel.WEB, Channel.CHAT):
        return _FILES_IN_OUR_PAGES
    types: frozenset[str] = getattr(hooks.adapter_for(channel), "OUTBOUND_FILE_TYPES", frozenset())
    return frozenset(types)


def reply(
    *,
    ticket: Ticket,
    agent: Agent,
    text: str,
    internal: bool = False,
    override_guard: bool = False,
    client_id: str = "",
    files: Sequence[tuple[str, bytes]] = (),
) -> Message:
    """An agent's answer (or internal note) on a ticket.

    Customer-facing text passes the outbound guard first; only a supervisor may override it,
    and the override is audited. `client_id` makes a double-submitted form land once. `files`
    (name, bytes): pictures and PDFs sent with the reply, checked first (AttachmentRejected,
    nothing stored) and stored encrypted with the message. A
    customer who writes Traditional Chinese is answered in Traditional: the agent's Simplified
    text is converted (OpenCC) before it is stored and sent; internal notes stay as written.
    """
    if not (agent.is_active and agent.has_role(Role.AGENT)):
        raise TicketAccessDenied
    text = text.strip()
    if not text:
        raise ValueError("empty reply")
    checked = check_reply_files(Channel(ticket.channel), files) if files else []
    overridden = ""
    if not internal:
        verdict = safety.guard_outbound(text)
        if not verdict.allowed:
            if not (override_guard and agent.has_role(Role.SUPERVISOR)):
                with transaction.atomic():
                    record_event(ticket, EventKind.REPLY_BLOCKED, actor=audit.actor_of(agent),
                                 reason=verdict.reason)
                raise ReplyBlocked(verdict.reason)
            overridden = verdict.reason
    if not internal:
        text = for_reader(text, ticket.language)
    external_id = f"console:{client_id}" if client_id else ""
    existing = _submitted_before(ticket, external_id)
    if existing:
        return existing
    try:
        message, locked = _store_reply(ticket, agent, text, internal=internal, external_id=external_id,
                                       overridden=overridden, files=checked)
    except IntegrityError:
        # The same form submitted twice at once: the other request stored it.
        existing = _submitted_before(ticket, external_id)
        if existing is None:
            raise
        return existing
    announce(locked, "message", direction=message.direction, messages=[message])
    publish_message(message)
    return message


def _submitted_before(ticket: Ticket, external_id: str) -> Message | None:
    if not external_id:
        return None
    return Message.objects.filter(channel=ticket.channel, external_id=external_id).first()


def _store_reply(
    ticket: Ticket, agent: Agent, text: str, *, internal: bool, external_id: str, overridden: str,
    files: Sequence[attachments.CheckedFile] = (),
) -> tuple[Message, Ticket]:
    """The message, the ticket's new state and any guard override land together or not at all."""
    with transaction.atomic():
        locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
        message = append_message(
            locked,
            direction=Direction.NOTE if internal else Direction.OUTBOUND,
            channel=locked.channel,
            external_id=external_id,
            body_text=text,
            author=agent,
            delivery=Delivery.NOT_APPLICABLE if internal else Delivery.PENDING,
        )
        sent = []
        for item in files:
            stored = attachments.store(message, item)
            sent.append(stored)
            audit.record(actor=audit.actor_of(agent), action="attachment.send",
                         target=f"attachment:{stored.pk}", ticket=locked.number)
        # The live frames announced after commit show the files without reading them back.
        message._prefetched_objects_cache = {"attachments": sent}  # type: ignore[attr-defined]
        if overridden:
            audit.record(actor=audit.actor_of(agent), action="guard.override",
                         target=f"ticket:{locked.number}", reason=overridden, message=message.pk)
        if not internal:
            now = timezone.now()
            fields = ["status", "updated_at"]
            if locked.first_response_at is None:
                locked.first_response_at = now
                fields.append("first_response_at")
            old_status = locked.status
            if locked.status != Status.WAITING_CUSTOMER:
                record_event(locked, EventKind.STATUS, actor=audit.actor_of(agent),
                             old=locked.status, new=Status.WAITING_CUSTOMER)
            locked.status = Status.WAITING_CUSTOMER
            locked.updated_at = now
            if locked.assignee_id is None:
                locked.assignee = agent
                fields.append("assignee")
            locked.save(update_fields=fields)
            sla_clock.agent_replied(locked, now=now)
            sla_clock.status_changed(locked, old=old_status, new=Status.WAITING_CUSTOMER, now=now)
            queue.deliver_after_commit(message.pk)
    return message, locked


def outbound_for(message: Message, address_kind: IdentityKind | None) -> OutboundMessage:
    """The adapter's view of a stored message; `address_kind` is the adapter's ADDRESS_KIND
    (the contact's address on its channel; None: the contact's id, for portal and chat)."""
    ticket = message.ticket
    contact = ticket.contact
    to = address_of(contact, address_kind) if address_kind else str(contact.pk)
    references = tuple(m.external_id for m in _REFERENCES(ticket.pk))
    account = ticket.account
    return OutboundMessage(
        channel=Channel(message.channel),
        message_id=message.pk,
        ticket_number=ticket.number,
        to=to,
        text=message.body_text,
        subject=ticket.subject,
        agent_public_name=message.author.public_name if message.author else "",
        references=references,
        anti_phishing_code=account.anti_phishing_code if account else "",
        language=ticket.language,
        automatic=message.author_id is None and message.headers.get("auto") == "acknowledgement",
        account_uid=account.uid if account else "",
        # The desk's own automatic messages (acknowledgements, warnings, notices) are text.
        files=() if message.headers.get("auto") else _files_of(message),
    )


def _files_of(message: Message) -> tuple[OutboundFile, ...]:
    """The files an agent attached, read back from encrypted storage for the adapter."""
    out = []
    for item in message.attachments.all():
        with item.file.open("rb") as handle:
            out.append(OutboundFile(item.filename, handle.read(), item.content_type))
    return tuple(out)


def retry_delay(attempts: int) -> timedelta:
    """Back-off after the `attempts`-th failure: 30 s, 60 s, 120 s ..."""
    return timedelta(seconds=30 * 2 ** max(attempts - 1, 0))


def deliver(message_id: int) -> DeliveryResult:
    """Hand one pending outbound message to its channel adapter and record the result.

    Safe to run twice, even at once: a worker first takes the message's lease, so a message
    is sent by one worker at a time and never again once sent. A worker that dies while
    sending leaves a lease that expires, and the overdue sweep sends it again (at least once).
    """
    now = timezone.now()
    claimed = (Message.objects.filter(pk=message_id, delivery=Delivery.PENDING)
               .filter(Q(delivery_lease_until__isnull=True) | Q(delivery_lease_until__lt=now))
               .update(delivery_lease_until=now + DELIVERY_LEASE))
    found = _TO_SEND(message_id)
    if not found:
        raise Message.DoesNotExist(f"no message {message_id}")
    message = found[0]
    if not claimed:
        # Sent, failed for good, or another worker is sending it right now.
        return DeliveryResult(delivered=message.delivery == Delivery.SENT, retryable=False)
    adapter = hooks.adapter_for(Channel(message.channel))
    if adapter is None:
        result = DeliveryResult(False, error="channel has no outbound adapter", retryable=False)
    else:
        try:
            result = adapter.deliver(outbound_for(message, adapter.ADDRESS_KIND))
        except Exception as exc:  # a provider failure must be recorded, then retried
            result = DeliveryResult(False, error=str(exc)[:250], retryable=True)
    attempts = message.delivery_attempts + 1
    final_failure = not result.delivered and (
        not result.retryable or attempts >= MAX_DELIVERY_ATTEMPTS
    )
    with transaction.atomic():
        _UPDATE_MESSAGE(
            message.pk,
            delivery_attempts=attempts,
            delivery=Delivery.SENT if result.delivered else (
                Delivery.FAILED if final_failure else Delivery.PENDING),
            delivery_error=result.error[:255],
            provider_id=result.provider_id[:255],
            delivery_lease_until=None,
            delivery_due_at=None if result.delivered or final_failure
            else timezone.now() + retry_delay(attempts),
        )
        if result.delivered or final_failure:
            record_event(message.ticket, EventKind.DELIVERY, actor="system", message=message.pk,
                         delivered=result.delivered, error=result.error)
    announce(message.ticket, "delivery", message=message.pk, delivered=result.delivered)
    return result


def mark_undelivered(message_id: int, *, error: str) -> bool:
    """The provider said, after taking a sent message, that it never arrived (a text to a
    phone that is off, say): the message becomes failed, with the reason, on the timeline.

    Only a message recorded as sent changes, so a repeated report changes nothing. It is not
    retried: the provider has already tried to deliver it.
    """
    with transaction.atomic():
        changed = Message.objects.filter(pk=message_id, delivery=Delivery.SENT).update(
            delivery=Delivery.FAILED, delivery_error=error[:255])
        if not changed:
            return False
        message = Message.objects.select_related("ticket").get(pk=message_id)
        record_event(message.ticket, EventKind.DELIVERY, actor="system", message=message.pk,
                     delivered=False, error=error)
    announce(message.ticket, "delivery", message=message.pk, delivered=False)
    return True


def overdue_deliveries(now: datetime | None = None, *, limit: int = 500) -> list[int]:
    """Pending messages whose task was lost, oldest first; each is due again from now, so a
    slow worker gets one extra task per sweep at most, not one per minute."""
    now = now or timezone.now()
    cutoff = now - OVERDUE_AFTER
    with transaction.atomic():
        ids = list(
            Message.objects.filter(delivery=Delivery.PENDING)
            .filter(Q(delivery_due_at__lt=cutoff) | Q(delivery_due_at__isnull=True, created_at__lt=cutoff))
            .exclude(delivery_lease_until__gt=now)
            .order_by("created_at").values_list("pk", flat=True)[:limit]
        )
        Message.objects.filter(pk__in=ids).update(delivery_due_at=now)
    return ids
