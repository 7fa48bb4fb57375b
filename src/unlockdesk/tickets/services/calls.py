"""Phone calls and callbacks: the call log of tickets and contacts, and the callback queue.

A callback request is due by the ticket's priority (an emergency freeze before anything else),
is assigned like a ticket, and is closed by logging the call that reached the customer; one
still open past its due time is escalated once (ticket priority raised, supervisors told).
Every change lands on the ticket's timeline and in the audit log, in the caller's transaction.
"""

from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from unlockdesk import sending
from unlockdesk.accounts.identifiers import normalize_phone
from unlockdesk.safety import audit
from unlockdesk.staff import notifications
from unlockdesk.staff.models import Agent, Role
from unlockdesk.tickets.events import announce, record_event
from unlockdesk.tickets.models import (
    Call,
    CallbackReason,
    CallbackRequest,
    CallbackState,
    CallDirection,
    CallOutcome,
    ContactIdentity,
    EventKind,
    Priority,
    Ticket,
)
from unlockdesk.tickets.services.workflow import assign, set_priority
from unlockdesk.tickets.types import Channel, IdentityKind

LONGEST_CALL_SECONDS = 24 * 3600


class CallRefused(Exception):
    """A call or callback change that is not allowed or not valid; nothing was changed.
    `code` is stable for tests and the API, `message` is for the agent."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def due_minutes(*, reason: str, priority: int) -> int:
    """Minutes we promise the customer: the freeze's own (shortest) or the priority's."""
    if reason == CallbackReason.FREEZE:
        return settings.UNLOCKDESK_CALLBACK_FREEZE_MINUTES
    minutes: list[int] = settings.UNLOCKDESK_CALLBACK_DUE_MINUTES
    return minutes[min(max(int(priority), 1), len(minutes)) - 1]


def _number(value: str) -> str:
    try:
        return normalize_phone(value)
    except Exception as exc:
        raise CallRefused("bad_number", _("That is not a phone number.")) from exc


def request_callback(
    *,
    ticket: Ticket,
    number: str,
    reason: CallbackReason = CallbackReason.REQUEST,
    language: str = "",
    source_call_id: str = "",
    actor: str = "customer:phone",
) -> CallbackRequest:
    """Put the customer in the callback queue and text them the ticket number and the time.

    Idempotent: the same provider call gives back the same request, and a ticket keeps one open
    request (a more urgent ask moves its due time earlier, without a second text).
    """
    number = _number(number)
    now = timezone.now()
    with transaction.atomic():
        if source_call_id:
            existing = CallbackRequest.objects.filter(source_call_id=source_call_id).first()
            if existing is not None:
                return existing
        locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
        due = now + timedelta(minutes=due_minutes(reason=reason, priority=locked.priority))
        current = locked.callbacks.filter(state=CallbackState.OPEN).first()
        if current is not None:
            if due < current.due_at:
                current.due_at, current.reason = due, reason
                current.save(update_fields=["due_at", "reason"])
                record_event(locked, EventKind.CALLBACK, actor=actor, new="requested",
                             due=due.isoformat(), callback=current.pk)
            return current
        callback = CallbackRequest.objects.create(
            ticket=locked, number=number, reason=reason, priority=locked.priority,
            language=language or locked.language, due_at=due, source_call_id=source_call_id)
        record_event(locked, EventKind.CALLBACK, actor=actor, new="requested", due=due.isoformat(),
                     callback=callback.pk)
        audit.record(actor=actor, action="callback.requested", target=f"ticket:{locked.number}",
                     callback=callback.pk, reason=str(reason))
        transaction.on_commit(partial(text_expected_time, callback.pk))
    announce(locked, "callback")
    return callback


def queue_callback(*, ticket_number: str, number: str, reason: CallbackReason, language: str,
                   source_call_id: str) -> CallbackRequest:
    """`request_callback` for the channels, which know a ticket by its number (the IVR)."""
    ticket = Ticket.objects.get(number=ticket_number)
    return request_callback(ticket=ticket, number=number, reason=reason, language=language,
                            source_call_id=source_call_id)


def log_provider_call(*, provider_call_id: str, direction: CallDirection, number: str,
                      outcome: CallOutcome, duration_seconds: int = 0,
                      recording_ref: str = "") -> Call:
    """A call the voice provider reports: on the ticket its IVR events opened, if any (found
    by the call id the events carry), else on the caller's contact alone. Idempotent."""
    existing = Call.objects.filter(provider_call_id=provider_call_id).select_related("ticket").first()
    ticket = existing.ticket if existing else None
    if existing is None:
        ticket = (Ticket.objects.filter(messages__channel=Channel.PHONE,
                                        messages__external_id__startswith=f"{provider_call_id}:")
                  .order_by("-pk").first())
    return log_call(ticket=ticket, direction=direction, number=number, outcome=outcome,
                    duration_seconds=duration_seconds, recording_ref=recording_ref,
                    provider_call_id=provider_call_id, actor="system")


def complete_placed_call(*, provider_call_id: str, outcome: CallOutcome,
                         duration_seconds: int = 0, recording_ref: str = "") -> Call | None:
    """The provider's report on a call we placed (click-to-call): its outcome, set once, and
    its length and recording; None when no such call was placed from the desk."""
    if not provider_call_id or not 0 <= duration_seconds <= LONGEST_CALL_SECONDS:
        return None
    with transaction.atomic():
        call = Call.objects.select_for_update().filter(provider_call_id=provider_call_id).first()
        if call is None:
            return None
        call = _complete(call, outcome=outcome, duration_seconds=duration_seconds,
                         recording_ref=recording_ref, actor="system")
    if call.ticket is not None:
        announce(call.ticket, "call")
    return call


def expected_time_text(callback: CallbackRequest) -> str:
    """The text the customer gets, in their language, with the time in the desk's zone."""
    local = timezone.localtime(callback.due_at)
    offset = local.utcoffset() or timedelta()
    hours = int(offset.total_seconds() // 3600)
    when = f"{local:%Y-%m-%d %H:%M} (UTC{hours:+d})"
    with override(callback.language):
        return _("Ticket %(number)s: we will call you back on this number by %(time)s. "
                 "We will never ask for your password or verification codes.") % {
            "number": callback.ticket.number, "time": when}


def text_expected_time(callback_id: int) -> None:
    """Send the expected-time text (after commit); a failure is put on the timeline."""
    callback = CallbackRequest.objects.select_related("ticket").get(pk=callback_id)
    try:
        sending.send_sms(to=callback.number, text=expected_time_text(callback),
                         purpose=sending.STATUS, params={"ticket": callback.ticket.number},
                         reference=f"callback:{callback.pk}")
    except sending.SmsFailed as exc:
        record_event(callback.ticket, EventKind.CALLBACK, actor="system", new="sms_failed",
                     error=exc.reason[:200], callback=callback.pk)


def assign_callback(callback: CallbackRequest, agent: Agent, *, by: Agent) -> CallbackRequest:
    """Give the callback to `agent` (an agent takes it for themself; a supervisor gives it to
    anyone). The ticket goes to the same agent when nobody holds it yet."""
    if agent.pk != by.pk and not by.has_role(Role.SUPERVISOR):
        raise CallRefused("not_allowed", _("Only a supervisor can give a callback to someone else."))
    with transaction.atomic():
        locked = CallbackRequest.objects.select_for_update().select_related("ticket").get(pk=callback.pk)
        if locked.state != CallbackState.OPEN:
            raise CallRefused("closed", _("This callback is already done."))
        locked.assignee = agent
        locked.save(update_fields=["assignee"])
        record_event(locked.ticket, EventKind.CALLBACK, actor=audit.actor_of(by), new="assigned",
                     agent=agent.public_name, callback=locked.pk)
        audit.record(actor=audit.actor_of(by), action="callback.assigned",
                     target=f"ticket:{locked.ticket.number}", callback=locked.pk,
                     agent=agent.agent_number or agent.get_username())
        if locked.ticket.assignee_id is None:
            assign(locked.ticket, agent, by=by)
    announce(locked.ticket, "callback")
    return locked


def _contact_for(number: str) -> int | None:
    identity = ContactIdentity.objects.filter(kind=IdentityKind.PHONE, value=number).first()
    return identity.contact_id if identity else None


def log_call(
    *,
    ticket: Ticket | None,
    direction: CallDirection,
    number: str,
    outcome: CallOutcome,
    started_at: datetime | None = None,
    duration_seconds: int = 0,
    agent: Agent | None = None,
    recording_ref: str = "",
    provider_call_id: str = "",
    callback: CallbackRequest | None = None,
    note: str = "",
    actor: str = "",
) -> Call:
    """Add a call to the log of its ticket and contact; an answered callback closes it.

    Idempotent on `provider_call_id`: a provider reporting the same call again (status after
    recording, a retried webhook) completes the one row: an outcome is set once, a missing
    duration or recording reference is filled in. `outcome` IN_PROGRESS is a call just placed.
    """
    if outcome not in CallOutcome.values:
        raise CallRefused("bad_outcome", _("Choose how the call ended."))
    if not 0 <= duration_seconds <= LONGEST_CALL_SECONDS:
        raise CallRefused("bad_duration", _("The call's length is not valid."))
    number = _number(number)
    actor = actor or audit.actor_of(agent)
    with transaction.atomic():
        if provider_call_id:
            existing = (Call.objects.select_for_update().filter(provider_call_id=provider_call_id)
                        .first())
            if existing is not None:
                return _complete(existing, outcome=outcome, duration_seconds=duration_seconds,
                                 recording_ref=recording_ref, actor=actor)
        if callback is not None:
            callback = CallbackRequest.objects.select_for_update().get(pk=callback.pk)
            if ticket is None or callback.ticket_id != ticket.pk:
                raise CallRefused("wrong_ticket", _("That callback belongs to another ticket."))
            if callback.state != CallbackState.OPEN:
                raise CallRefused("closed", _("This callback is already done."))
        call = Call.objects.create(
            ticket=ticket, contact_id=ticket.contact_id if ticket else _contact_for(number),
            callback=callback, direction=direction, number=number,
            started_at=started_at or timezone.now(), duration_seconds=duration_seconds,
            agent=agent, outcome=CallOutcome.IN_PROGRESS, recording_ref=recording_ref[:255],
            provider_call_id=provider_call_id, note=note[:500])
        if outcome == CallOutcome.IN_PROGRESS:
            _on_timeline(call, actor=actor, new="started")
        else:
            call = _complete(call, outcome=outcome, duration_seconds=duration_seconds,
                             recording_ref=recording_ref, actor=actor)
    if ticket is not None:
        announce(ticket, "call")
    return call


def _complete(call: Call, *, outcome: CallOutcome, duration_seconds: int, recording_ref: str,
              actor: str) -> Call:
    changed: list[str] = []
    if recording_ref and not call.recording_ref:
        call.recording_ref = recording_ref[:255]
        changed.append("recording_ref")
    if duration_seconds and not call.duration_seconds:
        call.duration_seconds = duration_seconds
        changed.append("duration_seconds")
    if call.outcome == CallOutcome.IN_PROGRESS and outcome != CallOutcome.IN_PROGRESS:
        reached = outcome in (CallOutcome.ANSWERED, CallOutcome.CALLBACK_DONE)
        call.outcome = CallOutcome.CALLBACK_DONE if call.callback_id and reached else outcome
        if call.callback_id is None and outcome == CallOutcome.CALLBACK_DONE:
            call.outcome = CallOutcome.ANSWERED  # nothing was waiting: an ordinary answered call
        changed.append("outcome")
        if call.callback_id:
            _settle_callback(call, reached=reached, actor=actor)
        _on_timeline(call, actor=actor, new=call.outcome)
    if changed:
        call.save(update_fields=changed)
    return call


def _settle_callback(call: Call, *, reached: bool, actor: str) -> None:
    """An answered call closes its callback; an unanswered one counts as an attempt."""
    callback = CallbackRequest.objects.select_for_update().select_related("ticket").get(
        pk=call.callback_id or 0)
    if callback.state != CallbackState.OPEN:
        return
    callback.attempts += 1
    fields = ["attempts"]
    if reached:
        callback.state, callback.closed_at = CallbackState.DONE, timezone.now()
        fields += ["state", "closed_at"]
    callback.save(update_fields=fields)
    audit.record(actor=actor, action="callback.done" if reached else "callback.attempt",
                 target=f"ticket:{callback.ticket.number}", callback=callback.pk, call=call.pk)


def _on_timeline(call: Call, *, actor: str, new: str) -> None:
    ticket = call.ticket
    if ticket is None:
        return
    agent = call.agent
    record_event(ticket, EventKind.CALL, actor=actor, new=new, call=call.pk,
                 direction=call.direction, duration=call.duration_seconds,
                 agent=agent.public_name if agent else None,
                 recording=bool(call.recording_ref))
    audit.record(actor=actor, action="call.logged", target=f"ticket:{ticket.number}",
                 call=call.pk, outcome=new)


def _tell_supervisors(ticket: Ticket, callback: CallbackRequest, late_minutes: int,
                      raised: Priority) -> None:
    """Stored for whoever is offline (the bell) and pushed live to open consoles."""
    queue_agents = ticket.queue.agents.values_list("pk", flat=True) if ticket.queue else []

    def render() -> tuple[str, str]:
        return (_("Callback missed: %(number)s") % {"number": ticket.number},
                _("Callback for ticket %(number)s is %(minutes)d minutes late; its priority is "
                  "now %(priority)s.") % {"number": ticket.number, "minutes": late_minutes,
                                          "priority": Priority(raised).label})

    notifications.notify(recipients=notifications.supervisors(queue_agent_ids=queue_agents),
                         kind="callback_missed", key=f"callback:{callback.pk}:missed",
                         url=reverse("console:callbacks"), render=render)


def escalate_missed_callbacks(now: datetime | None = None) -> int:
    """Escalate, once, each open callback past its due time: the ticket's priority goes up a
    step, the timeline and audit log say so, and every supervisor is told. Returns how many."""
    now = now or timezone.now()
    late = CallbackRequest.objects.filter(state=CallbackState.OPEN, escalated_at__isnull=True,
                                          due_at__lt=now)
    count = 0
    for pk in list(late.values_list("pk", flat=True)):
        with transaction.atomic():
            callback = (CallbackRequest.objects.select_for_update().select_related("ticket")
                        .filter(pk=pk, state=CallbackState.OPEN, escalated_at__isnull=True).first())
            if callback is None:
                continue
            ticket = callback.ticket
            raised = Priority(max(Priority.URGENT, ticket.priority - 1))
            callback.escalated_at, callback.priority = now, raised
            callback.save(update_fields=["escalated_at", "priority"])
            if raised != ticket.priority:
                ticket = set_priority(ticket, raised, by=None)
            late_minutes = int((now - callback.due_at).total_seconds() // 60)
            record_event(ticket, EventKind.CALLBACK, actor="system", new="missed",
                         callback=callback.pk, late_minutes=late_minutes)
            audit.record(actor="system", action="callback.missed", target=f"ticket:{ticket.number}",
                         callback=callback.pk, late_minutes=late_minutes)
            _tell_supervisors(ticket, callback, late_minutes, raised)
        announce(ticket, "callback")
        count += 1
    return count
