"""receive(): every channel's inbound item goes through here, and only here.

safety.scan -> identity.resolve -> threading -> triage -> persist -> notify, as the
architecture draws it. Idempotent on (channel, external id): a retried delivery returns the
first receipt and changes nothing; an id already held by another sender's item does not make
a duplicate (the item is stored under its `alternate_id`). Atomic: either the message, its
ticket changes, its attachments and its timeline entries all land, or none do. Channels do
not check duplicates or thread by themselves: automatic mail that may only continue a ticket
says so (`continues_only`) and is decided here.
"""

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Literal

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import override

from unlockdesk.chinese import script_of
from unlockdesk.integration_events import EventType
from unlockdesk.prepared import PreparedInsert, PreparedRead, PreparedUpdate
from unlockdesk.safety import services as safety
from unlockdesk.safety.audit import actor_of
from unlockdesk.tickets import attachments, triage
from unlockdesk.tickets.acknowledgement import acknowledgement_text, help_suggestions, suggestion_lines
from unlockdesk.tickets.contacts import proven_account, resolve_or_create_contact
from unlockdesk.tickets.events import (
    announce,
    gathered,
    gathering,
    publish_message,
    publish_ticket,
    record_event,
)
from unlockdesk.tickets.exceptions import AttachmentRejected
from unlockdesk.tickets.models import (
    Contact,
    ContactIdentity,
    Delivery,
    Direction,
    EventKind,
    Message,
    Queue,
    Status,
    Ticket,
)
from unlockdesk.tickets.numbering import new_number
from unlockdesk.tickets.pending_files import record_remote_files
from unlockdesk.tickets.queue import deliver_after_commit
from unlockdesk.tickets.search import index as search_index
from unlockdesk.tickets.services import message_rows, sla_clock
from unlockdesk.tickets.services.assignment import assigns_automatically, route_new
from unlockdesk.tickets.threads import CONVERSATIONAL, find_thread
from unlockdesk.tickets.types import Channel, InboundMessage

# The one cap on inbound text, so no adapter has to remember it: mail may carry long quoted
# history; chat, social and phone messages are short.
TEXT_LIMITS = {Channel.EMAIL: 100_000}
TEXT_LIMIT = 20_000
_CJK = re.compile(r"[\u4e00-\u9fff]")
_HREF = re.compile(r"""href\s*=\s*["']?\s*(https?://[^"'\s>]+)""", re.IGNORECASE)


@dataclass(frozen=True)
class Receipt:
    """What became of an inbound item. `ignored`: a `continues_only` item that continues no
    ticket; nothing was stored (ticket_id and message_id 0, ticket_number ''). message_id is
    0 too for an item stored in a batch (receive(batched=True)) whose row the batch inserts
    as it ends (message_rows.messages_gathered)."""

    status: Literal["created", "appended", "duplicate", "ignored"]
    ticket_id: int
    ticket_number: str
    message_id: int
    redactions: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    acknowledged: bool = False
    rejected_attachments: tuple[str, ...] = field(default=())
    seq: int = 0  # the stored message's number on its ticket (0 when ignored)


def guess_language(text: str) -> str:
    """The customer's language, and for Chinese their script: they are answered in it."""
    return script_of(text) if _CJK.search(text) else "en"


def _existing(inbound: InboundMessage) -> Receipt | None:
    # Three columns, no ordering: this runs before every inbound item, retries or not.
    found = (Message.objects.filter(channel=inbound.channel, external_id=inbound.external_id)
             .order_by().values_list("pk", "ticket_id", "ticket__number", "seq")[:1])
    for pk, ticket_id, number, seq in found:
        return Receipt("duplicate", ticket_id, number, pk, seq=seq)
    return None


def _held_by_another_sender(inbound: InboundMessage) -> bool:
    earlier = (Message.objects.filter(channel=inbound.channel, external_id=inbound.external_id)
               .values_list("contact_id", flat=True).first())
    return earlier is not None and not ContactIdentity.objects.filter(
        contact_id=earlier, kind=inbound.sender.kind, value=inbound.sender.value).exists()


def _continues_a_ticket(inbound: InboundMessage) -> bool:
    """Whether the sender is a known contact and the item continues one of their tickets;
    creates nothing (automatic mail to nobody must not leave a contact behind)."""
    identity = ContactIdentity.objects.select_related("contact").filter(
        kind=inbound.sender.kind, value=inbound.sender.value).first()
    return identity is not None and find_thread(inbound, identity.contact).ticket is not None


def _link_targets(html: str) -> list[str]:
    return _HREF.findall(html) if html else []


def receive(inbound: InboundMessage, *, keep: Callable[[int], None] | None = None,
            batched: bool = False) -> Receipt:
    """Store one inbound item exactly once and route it; safe to call again on retry.

    `keep(message_id)`: a channel's own record of the stored message (email's redacted
    original), written in the same transaction, so neither lands without the other. It saves
    the channel an outer transaction, which would hold the ticket's lock (on SQLite, the
    database) through the work done after commit: help-center search, announcements, routing.

    `batched`: the caller stores several items in its own transaction and, if that fails,
    stores them again one by one (chat's group commit). The item then takes no savepoint (two
    statements, round trips on PostgreSQL, per message), so a retry's duplicate fails the
    batch instead of being answered here; the one-by-one pass answers it.
    """
    if not inbound.external_id:
        raise ValueError("an inbound message needs the channel's external id")
    limit = TEXT_LIMITS.get(inbound.channel, TEXT_LIMIT)
    if len(inbound.text) > limit:
        inbound = replace(inbound, text=inbound.text[:limit])
    # A retry is caught by the unique (channel, external id) index when its message is
    # inserted, and answered from the first receipt (below): a read before every item would
    # cost the hot path a statement for the rare retry. A Message-ID another sender already
    # used is found the same way, and the item stored again under its alternate id.
    if inbound.continues_only and not _continues_a_ticket(inbound):
        return Receipt("ignored", 0, "", 0)
    text = safety.scan_inbound(inbound.text)
    subject = safety.scan_inbound(inbound.subject)
    html_findings = safety.scan_inbound(inbound.html).findings if inbound.html else ()
    redactions = tuple(sorted(set(text.kinds) | set(subject.kinds)
                              | {f.kind for f in html_findings}))
    # HTML with a secret in it is dropped whole: the redacted text is what remains.
    html = "" if (html_findings or text.findings) else inbound.html
    checked, rejected = _check_attachments(inbound)
    language = inbound.language or guess_language(f"{inbound.subject} {inbound.text}")
    # A link's target, not its text, is where the customer would land: mail with a text part
    # and an HTML part may show different things in each.
    lookalikes = safety.lookalike_links("\n".join([subject.redacted, text.redacted, *_link_targets(html)]))
    early = _early_suggestions(inbound, subject.redacted, text.redacted, language)
    try:
        # The timeline entries are written together as the block ends (events.gathered).
        with transaction.atomic(savepoint=not batched), gathered():
            contact, new_contact = resolve_or_create_contact(inbound.sender, language=language)
            match = find_thread(inbound, contact, lock=not _database_held())
            flags = [match.flag] if match.flag else []
            if redactions:
                flags.append("secret_redacted")
            if lookalikes:
                flags.append("lookalike_link")
            unsaved: list[str] = []
            routed = False
            if match.ticket is None:
                ticket, unsaved = _open_ticket(inbound, contact, subject.redacted,
                                               text.redacted, language, flags)
                routed = assigns_automatically(ticket.queue)
                status: Literal["created", "appended"] = "created"
            else:
                ticket = match.ticket if match.locked else _held(match.ticket)
                unsaved = _continue_ticket(ticket, flags)
                status = "appended"
            message = append_message(
                ticket,
                index=False,  # with the answers stored below, in one write
                write_ticket=False,  # nor the row: once, after the answers (save_ticket)
                # In a batch, inserted with the batch's other messages when nothing below
                # needs its id (attachments, remote files, the channel's own record).
                defer=batched and not checked and not inbound.remote_files and keep is None,
                direction=Direction.INBOUND,
                channel=inbound.channel,
                external_id=inbound.external_id,
                subject=subject.redacted,
                body_text=text.redacted,
                body_html=html,
                contact=contact,
                redactions=list(redactions),
                headers=inbound.headers,
                created_at=inbound.received_at,
            )
            stored = [attachments.store(message, item[0], inline=item[1]) for item in checked]
            if stored:  # the live frames list them without reading them back
                message._prefetched_objects_cache = {"attachments": stored}  # type: ignore[attr-defined]
            for reason in rejected:
                record_event(ticket, EventKind.FLAG, actor="system", attachment_rejected=reason)
            if inbound.remote_files:
                record_remote_files(message, inbound.remote_files)
            if keep is not None:
                keep(message.pk)
            acknowledged = False
            outgoing: list[int] = []
            appended = [message]
            if (status == "created" and not inbound.is_auto_reply
                    and _may_acknowledge(contact, new=new_contact)):
                # The help-center search for its article links ran before the transaction
                # (`early`) or runs after commit: never inside the ticket lock.
                ack = append_message(
                    ticket,
                    index=False,
                    write_ticket=False,
                    direction=Direction.OUTBOUND,
                    channel=inbound.channel,
                    body_text="\n".join([acknowledgement_text(ticket, suggestions=False), *(early or [])]),
                    delivery=Delivery.PENDING,
                    headers={"auto": "acknowledgement"},
                )
                outgoing.append(ack.pk)
                appended.append(ack)
                acknowledged = True
            warning = safety.inbound_warning(redactions=redactions, lookalikes=lookalikes,
                                             language=ticket.language, account=ticket.account)
            if warning and not inbound.is_auto_reply:
                warned = append_message(ticket, index=False, write_ticket=False, direction=Direction.OUTBOUND,
                                        channel=inbound.channel,
                                        body_text=warning, delivery=Delivery.PENDING,
                                        headers={"auto": "safety_warning"})
                outgoing.append(warned.pk)
                appended.append(warned)
            # On PostgreSQL the search document is on the ticket row: written with it.
            save_ticket(ticket, unsaved, also=search_index.indexed_with_row(ticket, appended))
    except IntegrityError:  # a retry, or the same item stored meanwhile by another process
        if batched:  # the caller's transaction is spoilt: its one-by-one pass answers this
            raise
        duplicate = _existing(inbound)
        if duplicate and inbound.alternate_id and _held_by_another_sender(inbound):
            return receive(replace(inbound, external_id=inbound.alternate_id, alternate_id=""),
                           keep=keep)
        if duplicate:
            return duplicate
        raise
    if acknowledged and early is None:
        _complete_acknowledgement(ticket, appended[1], message.body_text)
    announce(ticket, "message", status=status, messages=appended)
    if status == "created":
        publish_ticket(ticket, EventType.TICKET_CREATED)
    publish_message(message)
    _schedule_deliveries(outgoing)
    if routed:
        route_new(ticket.pk)
    return Receipt(status, ticket.pk, ticket.number, message.pk or 0, redactions,
                   tuple(ticket.flags), acknowledged, tuple(rejected), seq=message.seq)


def _early_suggestions(inbound: InboundMessage, subject: str, text: str, language: str) -> list[str] | None:
    """The acknowledgement's help articles, searched before the transaction for an item that
    can only open a ticket: automatic mail is never answered, and mail that names no ticket
    and quotes none of ours continues nothing (threads.find_thread). None: not searched, for
    an item that may continue a case; receive() completes its acknowledgement after commit."""
    if (inbound.is_auto_reply or inbound.ticket_number or inbound.references
            or inbound.channel in CONVERSATIONAL):
        return None
    with override(language):
        return suggestion_lines(_subject_line(subject, text), text, language)


def _subject_line(subject: str, text: str) -> str:
    """A new ticket's subject: the item's, else its first line."""
    line = subject or (text.strip().splitlines() or [""])[0][:120] or "(no subject)"
    return line[:255]


def _complete_acknowledgement(ticket: Ticket, ack: Message, first_text: str) -> None:
    """Add the help articles to the stored acknowledgement, before anyone is sent it.

    A search takes tens of milliseconds; inside the transaction it held the ticket's row lock
    (and on SQLite the whole database) that long. The acknowledgement is delivered and
    announced only after this, so every reader of it gets the full text.
    """
    with override(ticket.language):
        lines = help_suggestions(ticket, first_text)
    if not lines:
        return
    ack.body_text = "\n".join([ack.body_text, *lines])
    _UPDATE_MESSAGE(ack.pk, body_text=ack.body_text)


# A known contact's acknowledgements of the last hour (their keys only: a handful at most, the
# limit stops more), compiled once: every mail from someone who wrote before asks.
_RECENT_ACKNOWLEDGEMENTS = PreparedRead(
    lambda contact_id, since: Message.objects.filter(
        ticket__contact_id=contact_id, direction=Direction.OUTBOUND,
        headers__auto="acknowledgement", created_at__gte=since).order_by().only("pk"),
    int, datetime)


def _may_acknowledge(contact: Contact, *, new: bool) -> bool:
    """At most UNLOCKDESK_ACKS_PER_HOUR acknowledgements per contact: no loops, no mail bombs.

    Counts the acknowledgements already stored, inside the caller's transaction (the contact
    row is locked, or on SQLite the database already is, so two concurrent deliveries cannot
    both take the last slot). A contact created by this transaction has been sent nothing:
    no lock, no count (most new mail comes from someone new).
    """
    if new:
        return settings.UNLOCKDESK_ACKS_PER_HOUR > 0
    if not _database_held():
        list(Contact.objects.select_for_update().filter(pk=contact.pk).values_list("pk", flat=True))
    recent = _RECENT_ACKNOWLEDGEMENTS(contact.pk, timezone.now() - timedelta(hours=1))
    return len(recent) < settings.UNLOCKDESK_ACKS_PER_HOUR


def _check_attachments(
    inbound: InboundMessage,
) -> tuple[list[tuple[attachments.CheckedFile, bool]], list[str]]:
    ok: list[tuple[attachments.CheckedFile, bool]] = []
    rejected: list[str] = []
    for item in inbound.attachments:
        try:
            ok.append((attachments.check(item.filename, item.content), item.inline))
        except AttachmentRejected as exc:
            rejected.append(f"{item.filename}: {exc.code}")
    return ok, rejected


# Read for every new ticket (unlockdesk.prepared).
_QUEUE = PreparedRead(lambda slug: Queue.objects.select_related("routing").filter(slug=slug), str)
_BY_NUMBER = PreparedRead(lambda number: Ticket.objects.filter(number=number).only("pk")[:1], str)
_INSERT_TICKET = PreparedInsert(Ticket)


def _open_ticket(
    inbound: InboundMessage,
    contact: Contact,
    subject: str,
    text: str,
    language: str,
    flags: list[str],
) -> tuple[Ticket, list[str]]:
    """The new ticket, and the fields set on it for the first message's write to save."""
    result = triage.triage(subject, text)
    now = timezone.now()
    queue = next(iter(_QUEUE(result.queue_slug)), None) or Queue.objects.get_or_create(
        slug=result.queue_slug, defaults={"name": result.queue_slug.title()})[0]
    account = proven_account(inbound.sender) or contact.account
    for _attempt in range(5):
        number = new_number()
        if not _BY_NUMBER(number):
            break
    ticket = _INSERT_TICKET(
        number=number,
        subject=_subject_line(subject, text),
        category=result.category,
        priority=result.priority,
        channel=inbound.channel,
        language=language,
        contact=contact,
        account=account,
        queue=queue,
        flags=flags,
        created_at=now,
        updated_at=now,
    )
    record_event(ticket, EventKind.CREATED, actor="system", channel=inbound.channel,
                 category=result.category, priority=int(result.priority), flags=flags)
    return ticket, sla_clock.start(ticket, now=now)


def _database_held() -> bool:
    """SQLite's transactions begin IMMEDIATE here (settings): the database is held from the
    first statement, so no row needs locking, and a row read inside the transaction is current."""
    return (connection.vendor == "sqlite" and connection.in_atomic_block
            and connection.settings_dict.get("OPTIONS", {}).get("transaction_mode") == "IMMEDIATE")


def _held(ticket: Ticket) -> Ticket:
    """`ticket`'s row held for this transaction: as read (SQLite), or read again FOR UPDATE."""
    if _database_held():
        return ticket
    return Ticket.objects.select_for_update().get(pk=ticket.pk)


def _continue_ticket(ticket: Ticket, flags: list[str]) -> list[str]:
    """Reopen, flag and touch the ticket; the fields changed, for the caller's next write of
    the row (append_message's) to save with it."""
    changed = ["updated_at"]
    reopened = ticket.status == Status.RESOLVED
    if ticket.status in (Status.RESOLVED, Status.WAITING_CUSTOMER):
        record_event(ticket, EventKind.STATUS, actor="system", old=ticket.status,
                     new=Status.WAITING_US)
        ticket.status = Status.WAITING_US
        ticket.resolved_at = None
        changed += ["status", "resolved_at"]
    new_flags = [f for f in flags if f not in ticket.flags]
    if new_flags:
        ticket.flags = [*ticket.flags, *new_flags]
        changed.append("flags")
    ticket.updated_at = timezone.now()
    sla_clock.customer_wrote(ticket, now=ticket.updated_at, reopened=reopened)
    return changed


# Every message stored makes this write, and the insert of its row (message_rows).
_UPDATE_TICKET = PreparedUpdate(Ticket)
_UPDATE_MESSAGE = PreparedUpdate(Message)


def append_message(ticket: Ticket, *, save_also: Sequence[str] = (), index: bool = True,
                   write_ticket: bool = True, defer: bool = False, **fields: object) -> Message:
    """Add a message at the next sequence number; the caller holds the ticket row.

    `save_also`: fields of `ticket` the caller changed, written in the same UPDATE.
    `index=False`: the caller adds it to the search index itself, with the other messages it
    stores in the same transaction (search_index.index_messages).
    `write_ticket=False`: the caller stores several messages and writes the row once after
    them (save_ticket): on PostgreSQL each UPDATE of the ticket is a round trip and a new
    version of a row with many indexes.
    `defer=True`: inside message_rows.messages_gathered() and events.gathered(), the row is
    inserted with the block's other messages as it ends; the caller needs no id before then.
    """
    ticket.last_seq += 1
    if write_ticket:
        save_ticket(ticket, save_also)
    deferred = defer and not index and gathering()
    message = message_rows.insert(defer=deferred, ticket=ticket, seq=ticket.last_seq, **fields)
    if index:
        search_index.index_message(message)
    record_event(ticket, EventKind.MESSAGE, actor=_actor(message),
                 message=message if deferred else message.pk, direction=message.direction)
    return message


def save_ticket(ticket: Ticket, fields: Sequence[str] = (), *,
                also: tuple[str, list[object]] | None = None) -> None:
    """Write the ticket's message count and `fields` (changed by the caller) in one UPDATE;
    `also`: one more assignment of SQL for it (search_index.indexed_with_row)."""
    _UPDATE_TICKET.with_sql(ticket.pk, also, last_seq=ticket.last_seq,
                            **{name: getattr(ticket, name) for name in fields})


def _actor(message: Message) -> str:
    if message.author is not None:
        return actor_of(message.author)
    if message.contact_id:
        return f"contact:{message.contact_id}"
    return "system"


def _schedule_deliveries(pending: list[int]) -> None:
    """The answers stored with this item; older pending ones are the overdue sweep's."""
    for pk in pending:
        deliver_after_commit(pk)
