"""SLA escalation, run by the task queue every minute: a warning when a clock reaches its
policy's share (80 % by default), and on breach the supervisors told live, the ticket flagged
and raised in priority or moved to a queue as the policy says.

Scales with what is due, not with the number of tickets: one query on the partial index of
SlaTarget.next_check_at finds the clocks that need a look. Each warning and each breach
happens once per clock (the row is locked and its warned_at / breached_at checked), on the
timeline and in the audit log.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from unlockdesk.safety import audit
from unlockdesk.staff import notifications
from unlockdesk.tickets.events import announce, record_event
from unlockdesk.tickets.models import (
    BreachAction,
    EventKind,
    Priority,
    SlaTarget,
    SlaTargetKind,
    Ticket,
)
from unlockdesk.tickets.services import sla_clock
from unlockdesk.tickets.services.workflow import move_to_queue, set_priority
from unlockdesk.tickets.sla_words import due_words

BATCH = 500


@dataclass(frozen=True)
class EscalationRun:
    warned: int
    breached: int


def escalate_due(*, now: datetime | None = None, batch: int = BATCH) -> EscalationRun:
    """Send every warning and breach due by `now`; safe to run again (each happens once)."""
    now = now or timezone.now()
    warned = breached = 0
    due = list(SlaTarget.objects.filter(next_check_at__lte=now).order_by("next_check_at")
               .values_list("pk", flat=True)[:batch])
    for pk in due:
        outcome = _escalate(pk, now)
        warned += outcome == "warned"
        breached += outcome == "breached"
    return EscalationRun(warned, breached)


def _escalate(pk: int, now: datetime) -> str:
    with transaction.atomic():
        target = (SlaTarget.objects.select_for_update(of=("self",))
                  .select_related("ticket", "policy", "policy__breach_queue")
                  .filter(pk=pk, met_at__isnull=True, next_check_at__lte=now).first())
        if target is None:  # met, paused or handled since the query
            return ""
        outcome = ""
        if target.breached_at is None and target.due_at <= now:
            target.breached_at = now
            outcome = "breached"
        elif target.warned_at is None and target.warn_at <= now:
            target.warned_at = now
            outcome = "warned"
        target.next_check_at = sla_clock.next_check(target)
        target.save(update_fields=["warned_at", "breached_at", "next_check_at"])
        if outcome == "breached":
            _breach(target, now)
        elif outcome == "warned":
            _warn(target, now)
    return outcome


def _warn(target: SlaTarget, now: datetime) -> None:
    ticket = target.ticket
    record_event(ticket, EventKind.SLA_WARNING, actor="system", new=target.kind,
                 due=target.due_at.isoformat())
    audit.record(actor="system", action="sla.warning", target=f"ticket:{ticket.number}",
                 clock=target.kind, due=target.due_at.isoformat())
    _tell(target, now, kind="warning",
          title=lambda number: _("SLA warning: %(number)s") % {"number": number})
    announce(ticket, "sla", state="warning")


def _breach(target: SlaTarget, now: datetime) -> None:
    ticket = target.ticket
    Ticket.objects.filter(pk=ticket.pk).update(sla_breached=True)
    record_event(ticket, EventKind.SLA, actor="system", new=target.kind,
                 due=target.due_at.isoformat())
    action = target.policy.breach_action if target.policy else BreachAction.NOTIFY
    done = _act(ticket, target, action)
    audit.record(actor="system", action="sla.breach", target=f"ticket:{ticket.number}",
                 clock=target.kind, due=target.due_at.isoformat(), escalation=done)
    _tell(target, now, kind="breach",
          title=lambda number: _("SLA breached: %(number)s") % {"number": number})
    announce(ticket, "sla", state="breached")


def _tell(target: SlaTarget, now: datetime, *, kind: str, title: Callable[[str], str]) -> None:
    """The supervisors who work the ticket's queue (else all) and its assignee hear of it, each
    in their own language (the title is made under it), once per clock and kind."""
    ticket = target.ticket
    recipients = notifications.supervisors(queue_agent_ids=_queue_agents(ticket))
    if ticket.assignee is not None:
        recipients.append(ticket.assignee)

    def render() -> tuple[str, str]:
        return (title(ticket.number),
                _("%(clock)s %(when)s · %(subject)s") % {
                    "clock": _clock_name(target.kind), "when": due_words(target.due_at, now),
                    "subject": ticket.subject})

    notifications.notify(recipients=recipients, kind=f"sla_{kind}", key=f"sla:{target.pk}:{kind}",
                         url=_url(ticket), render=render)


def _act(ticket: Ticket, target: SlaTarget, action: str) -> str:
    """The policy's escalation; returns what was done (a code for the audit log)."""
    if action == BreachAction.RAISE_PRIORITY and ticket.priority > Priority.URGENT:
        set_priority(ticket, Priority(ticket.priority - 1), by=None)
        return "raised_priority"
    policy = target.policy
    if (action == BreachAction.MOVE_QUEUE and policy is not None and policy.breach_queue
            and policy.breach_queue_id != ticket.queue_id):
        move_to_queue(ticket, policy.breach_queue, by=None)
        return "moved_queue"
    return "notified"


def _queue_agents(ticket: Ticket) -> list[int]:
    if ticket.queue_id is None:
        return []
    return list(ticket.queue.agents.values_list("pk", flat=True))  # type: ignore[union-attr]


def _clock_name(kind: str) -> str:
    return str(SlaTargetKind(kind).label).capitalize()


def _url(ticket: Ticket) -> str:
    return reverse("console:ticket", args=[ticket.number])
