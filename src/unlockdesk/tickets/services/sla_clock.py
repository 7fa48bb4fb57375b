"""SLA clocks of a ticket: started when it opens, met by replies and resolution, paused while
waiting on the customer and resumed when they write.

Every function here runs inside the caller's transaction with the ticket row held; each
keeps the ticket's denormalised due times (what the inbox shows) in step with its SlaTargets.
"""

from datetime import datetime, timedelta

from django.db.models import QuerySet

from unlockdesk.prepared import PreparedInsert
from unlockdesk.tickets import business_hours, sla
from unlockdesk.tickets.models import SlaTarget, SlaTargetKind, Status, Ticket

RESPONSES = (SlaTargetKind.FIRST_RESPONSE, SlaTargetKind.NEXT_RESPONSE)
# Every new ticket inserts its two clocks (unlockdesk.prepared).
_INSERT_CLOCKS = PreparedInsert(SlaTarget)


def start(ticket: Ticket, *, now: datetime) -> list[str]:
    """Start the first-response and resolution clocks of a new ticket.

    The due times are set on `ticket` and their field names returned, unsaved: a ticket is
    opened to take its first message, and that write of the row (append_message's
    `save_also`) carries them, so opening costs one INSERT for both clocks and no UPDATE.
    """
    terms = sla.terms_for(ticket.priority, ticket.queue_id)
    clocks = _INSERT_CLOCKS.insert([_clock(ticket, kind, terms, now)
                                    for kind in (SlaTargetKind.FIRST_RESPONSE, SlaTargetKind.RESOLUTION)])
    return _sync(ticket, clocks, write=False)


def agent_replied(ticket: Ticket, *, now: datetime) -> None:
    """A reply to the customer meets the first-response and next-response clocks."""
    _running(ticket).filter(kind__in=RESPONSES).update(met_at=now, next_check_at=None)
    _sync(ticket)


def customer_wrote(ticket: Ticket, *, now: datetime, reopened: bool = False) -> None:
    """Resume the clocks; a follow-up after an agent's reply starts the next-response clock,
    and a customer reopening a resolved ticket (`reopened`) starts a new resolution clock."""
    if not reopened and _all_running(ticket):
        return
    resume(ticket, now=now)
    # The hot path of a busy chat: one read of the running clocks, the policy read only when a
    # clock starts, and the ticket row written only when its due times change. `ticket` is the
    # row the pipeline holds locked, so its due times are current.
    running = list(_running(ticket))
    kinds = {t.kind for t in running}
    wanted = []
    if ticket.first_response_at is not None and not kinds & set(RESPONSES):
        wanted.append(SlaTargetKind.NEXT_RESPONSE)
    if SlaTargetKind.RESOLUTION not in kinds and ticket.is_open:
        wanted.append(SlaTargetKind.RESOLUTION)
    if wanted:
        terms = sla.terms_for(ticket.priority, ticket.queue_id)
        running += [_start_target(ticket, kind, terms, now) for kind in wanted]
    _sync(ticket, running, only_changes=True)


def _all_running(ticket: Ticket) -> bool:
    """Whether the row alone shows that every clock a customer's write needs is running, so the
    busiest write there is (a chat follow-up) need not read them. An open ticket's resolution
    clock runs from its opening until it is resolved (and restarts on reopening); the first-
    response clock runs until the first reply, after which a running next-response clock shows
    in `next_response_due` (which _sync clears when none runs). Paused: no."""
    return (ticket.sla_paused_at is None and ticket.is_open
            and (ticket.first_response_at is None or ticket.next_response_due is not None))


def status_changed(ticket: Ticket, *, old: str, new: str, now: datetime) -> None:
    """Pause on waiting-on-customer, resume when it ends, stop every clock on resolution."""
    if new in (Status.RESOLVED, Status.CLOSED):
        _running(ticket).update(met_at=now, next_check_at=None)
        Ticket.objects.filter(pk=ticket.pk).update(sla_paused_at=None)
        ticket.sla_paused_at = None
    elif new == Status.WAITING_CUSTOMER:
        pause(ticket, now=now)
    elif old == Status.WAITING_CUSTOMER:
        resume(ticket, now=now)
    elif old == Status.RESOLVED and not _running(ticket).filter(kind=SlaTargetKind.RESOLUTION).exists():
        _start_target(ticket, SlaTargetKind.RESOLUTION,
                      sla.terms_for(ticket.priority, ticket.queue_id), now)
    _sync(ticket)


def terms_changed(ticket: Ticket, *, now: datetime) -> None:
    """The priority or queue changed: running clocks (not yet breached) take the new policy's
    targets, keeping the business time already used (a P3 raised to P1 after 10 minutes has
    the P1 target less those 10 minutes left)."""
    terms = sla.terms_for(ticket.priority, ticket.queue_id)
    ref = ticket.sla_paused_at or now
    for target in _running(ticket).filter(breached_at__isnull=True).select_related("policy__calendar"):
        left = business_hours.business_time_between(_calendar(target), ref, target.due_at)
        used = timedelta(minutes=target.minutes) - left
        minutes = terms.minutes(target.kind)
        target.due_at = _after(terms.calendar, ref, timedelta(minutes=minutes) - used)
        if target.warned_at is None:
            warn = timedelta(minutes=minutes * terms.warn_percent / 100) - used
            target.warn_at = _after(terms.calendar, ref, warn)
        target.policy, target.minutes, target.warn_percent = terms.policy, minutes, terms.warn_percent
        target.next_check_at = None if ticket.sla_paused_at else next_check(target)
        target.save(update_fields=["due_at", "warn_at", "policy", "minutes", "warn_percent",
                                   "next_check_at"])
    _sync(ticket)


def _after(calendar: business_hours.Calendar, ref: datetime, amount: timedelta) -> datetime:
    if amount <= timedelta(0):
        return ref
    return business_hours.add_business_time(calendar, ref, amount)


def pause(ticket: Ticket, *, now: datetime) -> None:
    """Stop counting (idempotent: a paused ticket stays paused from the first moment)."""
    if ticket.sla_paused_at is not None:
        return
    _running(ticket).update(next_check_at=None)
    Ticket.objects.filter(pk=ticket.pk).update(sla_paused_at=now)
    ticket.sla_paused_at = now


def resume(ticket: Ticket, *, now: datetime) -> None:
    """Move each running clock's due times later by the business time spent paused, so the
    time left is what was left when it paused."""
    paused_at = ticket.sla_paused_at
    if paused_at is None:
        return
    for target in _running(ticket).select_related("policy__calendar"):
        calendar = _calendar(target)
        if target.breached_at is None:
            target.due_at = _shift(calendar, target.due_at, paused_at, now)
        if target.warned_at is None and target.breached_at is None:
            target.warn_at = _shift(calendar, target.warn_at, paused_at, now)
        target.next_check_at = next_check(target)
        target.save(update_fields=["due_at", "warn_at", "next_check_at"])
    Ticket.objects.filter(pk=ticket.pk).update(sla_paused_at=None)
    ticket.sla_paused_at = None


def next_check(target: SlaTarget) -> datetime | None:
    """When escalation must next look at `target`: its warning, then its breach, then never."""
    if target.met_at is not None or target.breached_at is not None:
        return None
    return target.warn_at if target.warned_at is None else target.due_at


def _shift(calendar: business_hours.Calendar, moment: datetime, paused_at: datetime,
           now: datetime) -> datetime:
    left = business_hours.business_time_between(calendar, paused_at, moment)
    if left <= timedelta(0):
        return moment
    return business_hours.add_business_time(calendar, now, left)


def _calendar(target: SlaTarget) -> business_hours.Calendar:
    policy = target.policy
    if policy is not None and policy.calendar is not None:
        return policy.calendar.as_calendar()
    return business_hours.AROUND_THE_CLOCK


def new_target(kind: str, terms: sla.Terms, started: datetime) -> SlaTarget:
    """An unsaved clock of `kind` started at `started`: its warning and due times on the terms'
    calendar (load-volume writes these in bulk)."""
    minutes = terms.minutes(kind)
    return SlaTarget(
        kind=kind, policy=terms.policy, minutes=minutes,
        warn_percent=terms.warn_percent, started_at=started,
        warn_at=business_hours.add_business_minutes(terms.calendar, started,
                                                    minutes * terms.warn_percent / 100),
        due_at=business_hours.add_business_minutes(terms.calendar, started, minutes),
    )


def _clock(ticket: Ticket, kind: SlaTargetKind, terms: sla.Terms, now: datetime) -> SlaTarget:
    """An unsaved clock of `ticket`, checked by escalation unless the ticket is paused."""
    target = new_target(kind, terms, now)
    target.ticket = ticket
    target.next_check_at = None if ticket.sla_paused_at else next_check(target)
    return target


def _start_target(ticket: Ticket, kind: SlaTargetKind, terms: sla.Terms, now: datetime) -> SlaTarget:
    target = _clock(ticket, kind, terms, now)
    target.save()
    return target


def _running(ticket: Ticket) -> QuerySet[SlaTarget]:
    return SlaTarget.objects.filter(ticket=ticket, met_at__isnull=True)


def _sync(ticket: Ticket, clocks: list[SlaTarget] | None = None, *, only_changes: bool = False,
          write: bool = True) -> list[str]:
    """Copy the running clocks' due times onto the ticket row (what the inbox reads); the
    names of the fields set.

    `clocks`: the running clocks when the caller has just read them. `only_changes`: skip the
    write when the row already says the same (the caller's `ticket` is the locked, current row).
    `write=False`: set them on `ticket` only, for the caller's next write of the row.
    """
    running = {t.kind: t for t in (_running(ticket) if clocks is None else clocks)}
    fields: dict[str, datetime | None] = {"next_response_due": None}
    if first := running.get(SlaTargetKind.FIRST_RESPONSE):
        fields["first_response_due"] = first.due_at
    if following := running.get(SlaTargetKind.NEXT_RESPONSE):
        fields["next_response_due"] = following.due_at
    if resolution := running.get(SlaTargetKind.RESOLUTION):
        fields["resolution_due"] = resolution.due_at
    pending = [t.warn_at for t in running.values() if t.breached_at is None]
    fields["sla_warning_at"] = min(pending, default=None)
    if only_changes and all(getattr(ticket, name) == value for name, value in fields.items()):
        return []
    if write:
        Ticket.objects.filter(pk=ticket.pk).update(**fields)
    for name, value in fields.items():
        setattr(ticket, name, value)
    return list(fields)
