"""SLA timers as people read them: "2 小时 15 分后到期", "overdue by 10 min", paused, with a
state the console colours (ok, warning, breached, paused)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.translation import gettext as _

from unlockdesk.tickets.models import SlaTarget, SlaTargetKind, Ticket


@dataclass(frozen=True)
class SlaTimer:
    state: str  # "ok" | "warning" | "breached" | "paused"
    words: str
    due: datetime | None


def duration_words(amount: timedelta) -> str:
    """A short duration: "3 d 4 h", "2 h 15 min", "10 min", "less than a minute"."""
    minutes = int(amount.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return (_("%(days)d d %(hours)d h") if hours else _("%(days)d d")) % {
            "days": days, "hours": hours}
    if hours:
        return (_("%(hours)d h %(minutes)d min") if mins else _("%(hours)d h")) % {
            "hours": hours, "minutes": mins}
    if mins:
        return _("%(minutes)d min") % {"minutes": mins}
    return _("less than a minute")


def due_words(due: datetime, now: datetime) -> str:
    if due > now:
        return _("due in %(time)s") % {"time": duration_words(due - now)}
    return _("overdue by %(time)s") % {"time": duration_words(now - due)}


def timer_of(ticket: Ticket, now: datetime) -> SlaTimer | None:
    """The ticket's most pressing running clock; None when none runs (resolved, closed)."""
    if not ticket.is_open:
        return None
    if ticket.sla_paused_at is not None:
        return SlaTimer("paused", _("paused, waiting on the customer"), None)
    dues = [d for d in (ticket.first_response_due if ticket.first_response_at is None else None,
                        ticket.next_response_due, ticket.resolution_due) if d is not None]
    if not dues:
        return None
    due = min(dues)
    if due <= now:
        state = "breached"
    elif ticket.sla_warning_at is not None and ticket.sla_warning_at <= now:
        state = "warning"
    else:
        state = "ok"
    return SlaTimer(state, due_words(due, now), due)


def clock_label(code: str) -> str | None:
    """A clock's name on the timeline ("SLA breached → first response"), None for other codes."""
    return str(SlaTargetKind(code).label) if code in SlaTargetKind.values else None


@dataclass(frozen=True)
class ClockLine:
    name: str
    timer: SlaTimer


def clocks_of(ticket: Ticket, now: datetime) -> list[ClockLine]:
    """Each running clock of the ticket with its own timer, soonest first (the ticket page)."""
    if not ticket.is_open:
        return []
    lines = []
    for target in SlaTarget.objects.filter(ticket=ticket, met_at__isnull=True).order_by("due_at"):
        name = str(SlaTargetKind(target.kind).label)
        if ticket.sla_paused_at is not None:
            lines.append(ClockLine(name, SlaTimer("paused", _("paused, waiting on the customer"), None)))
            continue
        due = target.due_at
        state = ("breached" if due <= now else "warning" if target.warn_at <= now else "ok")
        lines.append(ClockLine(name, SlaTimer(state, due_words(due, now), due)))
    return lines
