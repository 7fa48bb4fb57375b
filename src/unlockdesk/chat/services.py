"""Writes for live chat. Every customer message goes through tickets.services.receive() and
every agent message through tickets.services.reply(): both commit before the caller
acknowledges anything to the sender. Customer messages carry a client id, so a message
resent after a reconnect is stored once.
"""

import contextlib
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from unlockdesk import sending
from unlockdesk.accounts import codes
from unlockdesk.accounts.identifiers import normalize_contact_address
from unlockdesk.chat import broadcast, frames
from unlockdesk.chat import channel as chat_channel
from unlockdesk.chat.identity import VisitorIdentity
from unlockdesk.chat.models import Conversation, State
from unlockdesk.chat.selectors import ChatAccessDenied, conversation_for_visitor, require_agent
from unlockdesk.safety import audit
from unlockdesk.staff.models import Agent, Role
from unlockdesk.tickets import attachments
from unlockdesk.tickets import selectors as ticket_selectors
from unlockdesk.tickets.contacts import resolve_contact
from unlockdesk.tickets.events import gathered
from unlockdesk.tickets.exceptions import AttachmentRejected, InvalidTransition, TicketAccessDenied
from unlockdesk.tickets.models import Message, Queue, Status, Ticket
from unlockdesk.tickets.read_ahead import read_ahead
from unlockdesk.tickets.services import assign, change_status, move_to_queue, receive, reply
from unlockdesk.tickets.services.message_rows import messages_gathered
from unlockdesk.tickets.types import IdentityKind, SenderIdentity

log = logging.getLogger(__name__)

MAX_TEXT = 4000
_CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


class ChatRefused(Exception):
    """Bad input or a step out of order; `message` is safe to show, nothing was stored."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Posted:
    conversation: Conversation
    seq: int
    ticket_number: str
    duplicate: bool
    redactions: tuple[str, ...]


def clean_text(value: object, *, allow_empty: bool = False) -> str:
    if not isinstance(value, str):
        raise ChatRefused("bad_request", _("The message has no text."))
    text = value.strip()
    if not text and not allow_empty:
        raise ChatRefused("empty", _("The message is empty."))
    if len(text) > MAX_TEXT:
        raise ChatRefused("too_long", _("The message is too long (at most %(n)d characters).")
                          % {"n": MAX_TEXT})
    return text


def clean_client_id(value: object) -> str:
    if not isinstance(value, str) or not _CLIENT_ID.match(value):
        raise ChatRefused("bad_request", _("The message has no valid client id."))
    return value


# --- the visitor side -------------------------------------------------------------------------

def open_conversation(
    *,
    visitor: str,
    identity: VisitorIdentity,
    language: str,
    public_id: str = "",
    ticket_number: str = "",
) -> Conversation:
    """Resume the visitor's conversation, continue one of their tickets, or start afresh.

    Only the token that started a conversation resumes it; continuing a ticket needs a proven
    identity that owns the ticket (the portal session). Raises ChatAccessDenied otherwise.
    """
    if public_id:
        conversation = conversation_for_visitor(visitor, public_id)
        if identity.verified and not conversation.verified and conversation.ticket_id is None:
            _set_identity(conversation, identity)
        return conversation
    if ticket_number:
        return _continue_ticket(visitor, identity, language, ticket_number)
    return Conversation.objects.create(
        visitor=visitor, identity_kind=identity.kind, identity_value=identity.value,
        verified=identity.verified, language=language,
    )


def _continue_ticket(visitor: str, identity: VisitorIdentity, language: str,
                     number: str) -> Conversation:
    if not identity.verified:
        raise ChatAccessDenied
    contact = resolve_contact(identity.sender, language=language)
    try:
        ticket = ticket_selectors.ticket_for_customer(contact, contact.account, number)
    except TicketAccessDenied as exc:
        raise ChatAccessDenied from exc
    if ticket.status == Status.CLOSED:
        raise ChatRefused("closed", _("This ticket is closed. Start a new chat instead."))
    with transaction.atomic():
        conversation = (Conversation.objects.filter(visitor=visitor, ticket=ticket)
                        .exclude(state=State.ENDED).first())
        if conversation is None:
            conversation = Conversation.objects.create(
                visitor=visitor, identity_kind=identity.kind, identity_value=identity.value,
                verified=True, language=language, ticket=ticket, queue=ticket.queue,
                state=State.WAITING, waiting_since=timezone.now(),
            )
            broadcast.queue_changed(frames.summary(conversation))
    return conversation


def _set_identity(conversation: Conversation, identity: VisitorIdentity) -> None:
    conversation.identity_kind = identity.kind
    conversation.identity_value = identity.value
    conversation.verified = identity.verified
    conversation.save(update_fields=["identity_kind", "identity_value", "verified"])


def customer_presence(conversation: Conversation, delta: int) -> Conversation:
    """Count the customer's open sockets: the chat adapter mails replies when it reaches 0."""
    Conversation.objects.filter(pk=conversation.pk).update(
        customer_sockets=F("customer_sockets") + delta, customer_seen_at=timezone.now())
    if delta < 0:
        Conversation.objects.filter(pk=conversation.pk, customer_sockets__lt=0).update(
            customer_sockets=0)
    fresh = Conversation.objects.select_related("ticket", "agent", "queue").filter(pk=conversation.pk).first()
    if fresh is None:  # deleted meanwhile (data retention, tests): nothing to count
        return conversation
    conversation = fresh
    if conversation.is_live:
        broadcast.send_now(broadcast.AGENTS_GROUP,
                           {"type": "chat.queue", "item": frames.summary(conversation)})
    return conversation


def customer_alive(conversation: Conversation) -> None:
    """A ping from the widget: counts left behind by a crashed server expire without them."""
    Conversation.objects.filter(pk=conversation.pk).update(customer_seen_at=timezone.now())


def send_to_agent(
    *,
    conversation: Conversation,
    text: object,  # from the socket's frame: checked here (clean_text, clean_client_id)
    client_id: object,
    open_ticket: bool,
    files: tuple[tuple[str, bytes], ...] = (),
    batched: bool = False,
) -> Posted:
    """Store one customer message on the conversation's ticket, opening or continuing it.

    "Talk to an agent" (`open_ticket`) may open the ticket; a plain message needs one. The
    conversation joins the waiting queue unless an agent already has it. Safe to repeat with
    the same client id. `batched`: inside send_many's transaction (see receive()).
    """
    client_id = clean_client_id(client_id)
    text = clean_text(text, allow_empty=bool(files))
    if conversation.ticket_id is None and not open_ticket:
        raise ChatRefused("not_ready", _("Choose “Talk to an agent” first."))
    for name, content in files:
        try:
            attachments.check(name, content)
        except AttachmentRejected as exc:
            raise ChatRefused("attachment", exc.message) from exc
    ticket_number = conversation.ticket.number if conversation.ticket else ""
    receipt = receive(chat_channel.parse(chat_channel.ChatPost(
        conversation=str(conversation.public_id),
        client_id=client_id,
        sender=_sender(conversation),
        text=text or _("(file)"),
        ticket_number=ticket_number,
        language=conversation.language,
        files=files,
    )), batched=batched)
    seq = receipt.seq
    if conversation.ticket_id == receipt.ticket_id and conversation.state in (State.WAITING, State.ACTIVE):
        # After commit: stored in a batch (send_many), the message is not there until then.
        broadcast.activity(conversation.public_id, seq)
        return Posted(conversation, seq, receipt.ticket_number, receipt.status == "duplicate",
                      tuple(receipt.redactions))
    with transaction.atomic():
        locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
        changed = []
        if locked.ticket_id != receipt.ticket_id:
            locked.ticket_id = receipt.ticket_id
            changed.append("ticket")
        if locked.state in (State.BROWSING, State.ENDED):
            ticket = Ticket.objects.get(pk=receipt.ticket_id)
            locked.state = State.WAITING
            locked.waiting_since = timezone.now()
            locked.ended_at = None
            locked.queue = ticket.queue
            locked.agent = None
            changed += ["state", "waiting_since", "ended_at", "queue", "agent"]
        locked.updated_at = timezone.now()
        locked.save(update_fields=[*changed, "updated_at"])
        locked = _reload(locked)
        broadcast.queue_changed(frames.summary(locked))
        broadcast.activity(locked.public_id, seq)
    return Posted(locked, seq, receipt.ticket_number, receipt.status == "duplicate",
                  tuple(receipt.redactions))


def _sender(conversation: Conversation) -> SenderIdentity:
    return SenderIdentity(IdentityKind(conversation.identity_kind), conversation.identity_value,
                          verified=conversation.verified)


@dataclass(frozen=True)
class Post:
    """One customer's message on a conversation that has its ticket, waiting to be stored."""

    conversation: Conversation
    text: object  # from the socket's frame, checked by send_to_agent
    client_id: object


# How a message may end without spoiling its batch's transaction: refused before anything is
# written (no text, too long, a bad client id). Anything else stores the batch one by one.
_REFUSALS = (ChatRefused,)


def send_many(posts: Sequence[Post]) -> list[Posted | Exception]:
    """Store several customers' messages in one transaction (group commit), each answered as
    send_to_agent would: its Posted, or the refusal to tell its sender.

    At incident-day rates one commit and one trip to the sockets' database thread for a
    burst, where each message alone paid for both; the senders and the tickets are read for
    the whole batch at once (tickets.read_ahead), not per message. Nothing is acknowledged
    before the commit (the caller answers after this returns; announcements run on commit).
    The tickets are locked up front in id order, and the messages stored in ticket order, so
    two server processes' batches lock tickets in the same order and cannot deadlock. Any
    other failure undoes the batch and each message is stored alone, so one bad message never
    costs the others theirs; so does a resend of a stored message, which lets the batch take
    no savepoint per message (receive(batched=True)).
    """
    order = sorted(range(len(posts)), key=lambda i: posts[i].conversation.ticket_id or 0)
    results: dict[int, Posted | Exception] = {}
    try:
        # One INSERT for the whole batch's messages (message_rows.messages_gathered), one for
        # their timeline entries (tickets.events.gathered).
        with transaction.atomic(), gathered(), messages_gathered(), read_ahead(
                [_sender(post.conversation) for post in posts],
                [post.conversation.ticket.number for post in posts if post.conversation.ticket]):
            for i in order:
                results[i] = _refused_or_sent(posts[i], _REFUSALS, batched=True)
    except IntegrityError:  # a resend of a message already stored (its ack was lost)
        log.info("a resend in a chat batch; storing its %d messages one by one", len(posts))
    except Exception:
        log.warning("chat group commit failed; storing its %d messages one by one", len(posts),
                    exc_info=True)
    else:
        return [results[i] for i in range(len(posts))]
    return [_refused_or_sent(post, (Exception,)) for post in posts]


def _refused_or_sent(post: Post, answers: tuple[type[Exception], ...], *,
                     batched: bool = False) -> Posted | Exception:
    try:
        return send_to_agent(conversation=post.conversation, text=post.text,
                             client_id=post.client_id, open_ticket=False, batched=batched)
    except answers as exc:
        return exc


def _reload(conversation: Conversation) -> Conversation:
    return Conversation.objects.select_related("ticket", "agent", "queue").get(pk=conversation.pk)


def request_code(conversation: Conversation, address: object, *, client_ip: str | None = None) -> str:
    """Send a one-time code to an email or phone the visitor says is theirs (the socket's
    client IP counts against the per-IP budget)."""
    if conversation.ticket_id is not None:
        raise ChatRefused("identity_locked", _("Verify before you talk to an agent, or start a new chat."))
    if not isinstance(address, str) or not address.strip() or len(address) > 254:
        raise ChatRefused("address", _("Enter your email address or phone number."))
    try:
        kind, value = normalize_contact_address(address)
    except ValidationError as exc:
        raise ChatRefused("address", " ".join(exc.messages)) from exc
    try:
        codes.send_code(kind, value, client_ip=client_ip)
    except codes.CodeThrottled as exc:
        raise ChatRefused("throttled", exc.message) from exc
    except sending.SmsOff as exc:
        raise ChatRefused("sms_off", str(exc.customer_message)) from exc
    except sending.SmsFailed as exc:
        raise ChatRefused("sms_failed", str(exc.customer_message)) from exc
    conversation.pending_kind, conversation.pending_value = kind, value
    conversation.save(update_fields=["pending_kind", "pending_value"])
    return kind


def verify_code(conversation: Conversation, code: object) -> VisitorIdentity:
    """Prove the pending address with its one-time code; the chat then writes as that contact."""
    if conversation.ticket_id is not None:
        raise ChatRefused("identity_locked", _("Verify before you talk to an agent, or start a new chat."))
    if not conversation.pending_value or not isinstance(code, str):
        raise ChatRefused("code", _("Request a code first."))
    try:
        codes.verify_code(conversation.pending_kind, conversation.pending_value, code)
    except codes.CodeRejected as exc:
        raise ChatRefused("code", str(exc)) from exc
    identity = VisitorIdentity(IdentityKind(conversation.pending_kind), conversation.pending_value,
                               verified=True)
    with transaction.atomic():
        contact = resolve_contact(identity.sender, language=conversation.language)
        _set_identity(conversation, identity)
        audit.record(actor=f"customer:{contact.pk}", action="chat.identified",
                     target=f"chat:{conversation.public_id}", kind=identity.kind)
    return identity


def customer_end(conversation: Conversation) -> Conversation:
    """The customer closes the chat; writing again reopens it."""
    return _end(conversation, by=None)


# --- the agent side ---------------------------------------------------------------------------

def accept(conversation: Conversation, agent: Agent) -> Conversation:
    """Take a waiting chat. Two agents racing for one chat: the first wins, the second is told."""
    require_agent(agent)
    with transaction.atomic():
        locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
        if locked.state == State.ACTIVE and locked.agent_id not in (None, agent.pk):
            raise ChatRefused("taken", _("Another agent has already accepted this chat."))
        if locked.ticket_id is None or locked.state not in (State.WAITING, State.ACTIVE):
            raise ChatRefused("not_waiting", _("This chat is not waiting for an agent."))
        locked.state, locked.agent, locked.updated_at = State.ACTIVE, agent, timezone.now()
        locked.save(update_fields=["state", "agent", "updated_at"])
        audit.record(actor=audit.actor_of(agent), action="chat.accept",
                     target=f"chat:{locked.public_id}")
        locked = _reload(locked)
        assert locked.ticket is not None
        assign(locked.ticket, agent, by=agent)
        broadcast.queue_changed(frames.summary(locked))
        broadcast.notice(locked.public_id, {"type": "agent_joined", "agent": agent.public_name})
    return locked


def agent_send(conversation: Conversation, agent: Agent, *, text: object, client_id: object,
               internal: bool) -> Message:
    """A reply (through the outbound guard) or an internal note, stored before it is acknowledged."""
    require_agent(agent)
    if conversation.ticket is None:
        raise ChatRefused("not_ready", _("This chat has no ticket yet."))
    message = reply(ticket=conversation.ticket, agent=agent, text=clean_text(text),
                    internal=internal, client_id=clean_client_id(client_id))
    if not internal and conversation.state == State.WAITING:
        accept(conversation, agent)
    return message


def transfer(
    conversation: Conversation, by: Agent, *, to_agent: str = "", to_queue: str = ""
) -> Conversation:
    """Hand the chat to another agent (by 工号) or back to a queue; audited."""
    require_agent(by)
    if bool(to_agent) == bool(to_queue) or conversation.ticket is None:
        raise ChatRefused("bad_request", _("Choose one agent or one queue."))
    with transaction.atomic():
        locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
        ticket = conversation.ticket
        if to_agent:
            target = Agent.objects.filter(agent_number=to_agent, is_active=True).first()
            if target is None or not target.has_role(Role.AGENT):
                raise ChatRefused("no_agent", _("There is no active agent with that number."))
            locked.agent, locked.state = target, State.ACTIVE
            assign(ticket, target, by=by)
        else:
            queue = Queue.objects.filter(slug=to_queue).first()
            if queue is None:
                raise ChatRefused("no_queue", _("There is no such queue."))
            locked.agent, locked.state, locked.queue = None, State.WAITING, queue
            locked.waiting_since = timezone.now()
            move_to_queue(ticket, queue, by=by)
            assign(ticket, None, by=by)
        locked.updated_at = timezone.now()
        locked.save()
        audit.record(actor=audit.actor_of(by), action="chat.transfer",
                     target=f"chat:{locked.public_id}", to_agent=to_agent, to_queue=to_queue)
        locked = _reload(locked)
        broadcast.queue_changed(frames.summary(locked))
        broadcast.notice(locked.public_id, {"type": "transferred",
                                            "agent": locked.agent.public_name if locked.agent else ""})
    return locked


def agent_end(conversation: Conversation, by: Agent) -> Conversation:
    require_agent(by)
    return _end(conversation, by=by)


def _end(conversation: Conversation, *, by: Agent | None) -> Conversation:
    with transaction.atomic():
        locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
        if locked.state == State.ENDED:
            return _reload(locked)
        locked.state, locked.ended_at, locked.updated_at = State.ENDED, timezone.now(), timezone.now()
        locked.save(update_fields=["state", "ended_at", "updated_at"])
        actor = audit.actor_of(by) if by else f"visitor:{locked.visitor[:8]}"
        audit.record(actor=actor, action="chat.end", target=f"chat:{locked.public_id}")
        if locked.ticket is not None:
            with contextlib.suppress(InvalidTransition):
                change_status(locked.ticket, Status.RESOLVED, by=by)
        locked = _reload(locked)
        broadcast.queue_changed(frames.summary(locked))
        broadcast.notice(locked.public_id, {"type": "ended"})
    return locked
