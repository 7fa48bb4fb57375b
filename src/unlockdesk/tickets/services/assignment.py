"""Who works a ticket: automatic round-robin per queue, and the manual changes.

Automatic: a ticket in a queue whose routing has `auto_assign` goes to the online agent of the
queue who has the skills the queue routes on and free capacity, the one idle longest first
(round-robin). With none free the ticket waits unassigned in its queue; `assign_waiting()`
picks it up when an agent comes online or frees capacity.

Safe under concurrency: the candidates' routing rows are locked (in id order, so two
assignments never deadlock) before their load is counted, so two tickets arriving at once
cannot both take an agent's last free place. On SQLite the IMMEDIATE transactions serialise
the same way.

Manual: an agent may take a ticket they can see ("assign to me"); only supervisors reassign
to someone else or unassign. Every change is on the timeline, manual ones also in the audit log.
"""

import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from unlockdesk.prepared import PreparedRead
from unlockdesk.safety import audit
from unlockdesk.staff import notifications
from unlockdesk.staff.models import Agent, Presence, Role, RoutingProfile
from unlockdesk.staff.presence import silent_before
from unlockdesk.tickets.events import announce, record_event
from unlockdesk.tickets.exceptions import TicketAccessDenied
from unlockdesk.tickets.models import EventKind, Queue, QueueRouting, Status, Ticket
from unlockdesk.tickets.queue import route_waiting_after_commit
from unlockdesk.tickets.selectors import works_queue
from unlockdesk.tickets.types import Channel

log = logging.getLogger(__name__)

# Tickets that hold a place of their assignee's capacity, and that wait for a person.
HOLDING = [Status.NEW, Status.OPEN, Status.WAITING_US, Status.WAITING_CUSTOMER]
NEEDS_PERSON = [Status.NEW, Status.OPEN, Status.WAITING_US]
ROUTING_ACTOR = "system:routing"


class AssignmentRefused(Exception):
    """The chosen agent cannot take this ticket (inactive, or not working its queue)."""


@dataclass(frozen=True)
class Load:
    open_tickets: int
    chats: int


def load_of(agent_ids: list[int]) -> dict[int, Load]:
    """Open tickets (chats counted apart) assigned to each agent; one query."""
    rows = (Ticket.objects.filter(assignee_id__in=agent_ids, status__in=HOLDING)
            .values("assignee_id")
            .annotate(live_chats=Count("pk", filter=Q(channel=Channel.CHAT)),
                      other_tickets=Count("pk", filter=~Q(channel=Channel.CHAT))))
    found = {r["assignee_id"]: Load(r["other_tickets"], r["live_chats"]) for r in rows}
    return {pk: found.get(pk, Load(0, 0)) for pk in agent_ids}


def has_room(profile: RoutingProfile, load: Load, channel: str) -> bool:
    if channel == Channel.CHAT:
        return load.chats < profile.max_chats
    return load.open_tickets < profile.max_open_tickets


def _skilled(profile: RoutingProfile, ticket: Ticket, rule: QueueRouting) -> bool:
    return ((not rule.by_language or ticket.language in profile.languages)
            and (not rule.by_channel or ticket.channel in profile.channels)
            and (not rule.by_category or ticket.category in profile.categories))


def _candidates(ticket: Ticket, rule: QueueRouting) -> list[int]:
    """Agents online now who work the queue (selectors.works_queue's rule, for all candidates
    in two queries) and have the skills; capacity is checked later, under lock."""
    online = (RoutingProfile.objects.select_related("agent")
              .filter(presence=Presence.ONLINE, last_seen_at__gte=silent_before(),
                      agent__is_active=True))
    queue_members = set(ticket.queue.agents.values_list("pk", flat=True)) if ticket.queue else set()
    with_queues = set(Queue.agents.through.objects.values_list("agent_id", flat=True).distinct())
    ids = []
    for profile in online:
        agent = profile.agent
        if not agent.has_role(Role.AGENT) or not _skilled(profile, ticket, rule):
            continue
        if agent.has_role(Role.SUPERVISOR) or agent.pk in queue_members or agent.pk not in with_queues:
            ids.append(agent.pk)
    return ids


# Read for every new ticket (unlockdesk.prepared): the row locked, its queue's rule joined.
_TO_ASSIGN = PreparedRead(lambda pk: Ticket.objects.select_for_update(of=("self",))
                          .select_related("queue__routing").filter(pk=pk)[:1], int)


def auto_assign(ticket_id: int) -> Agent | None:
    """Assign the ticket by its queue's rule; the agent chosen, or None (left waiting, already
    assigned, closed, or the queue does not assign automatically). Idempotent."""
    with transaction.atomic():
        # The queue's rule comes with the row (a left join): no second read for the many
        # queues that do not assign automatically.
        ticket = next(iter(_TO_ASSIGN(ticket_id)), None)
        if ticket is None or ticket.assignee_id or ticket.status not in NEEDS_PERSON:
            return None
        rule = _rule_of(ticket.queue)
        if rule is None:
            return None
        ids = _candidates(ticket, rule)
        if not ids:
            return None
        # Only the routing rows: a lock on the agents' rows would hold up their sign-ins.
        profiles = list(RoutingProfile.objects.select_for_update(of=("self",))
                        .select_related("agent").filter(pk__in=ids).order_by("pk"))
        loads = load_of([p.pk for p in profiles])
        free = [p for p in profiles if p.presence == Presence.ONLINE
                and has_room(p, loads[p.pk], ticket.channel)]
        if not free:
            return None
        never = timezone.now().replace(year=1970)
        chosen = min(free, key=lambda p: (p.last_assigned_at or never, p.pk))
        chosen.last_assigned_at = timezone.now()
        chosen.save(update_fields=["last_assigned_at"])
        change_assignee(ticket, chosen.agent, actor=ROUTING_ACTOR)
    return chosen.agent


def assigns_automatically(queue: Queue | None) -> bool:
    """Whether new tickets in `queue` are offered to an agent at once (its routing rule read
    with it, `select_related("routing")`). The pipeline skips route_new's locked read for the
    other queues; the minute's sweep (assign_waiting) catches a rule switched on meanwhile."""
    return _rule_of(queue) is not None


def _rule_of(queue: Queue | None) -> QueueRouting | None:
    try:
        rule = queue.routing if queue is not None else None
    except QueueRouting.DoesNotExist:
        return None
    return rule if rule is not None and rule.auto_assign else None


def route_new(ticket_id: int) -> None:
    """The pipeline's step after triage and persist; a failure leaves the ticket waiting for
    the next `assign_waiting()` rather than failing the inbound item already stored."""
    try:
        auto_assign(ticket_id)
    except Exception:
        log.exception("automatic assignment of ticket %s failed; it waits in its queue", ticket_id)


def assign_waiting(*, limit: int = 200) -> int:
    """Assign tickets waiting in automatic queues, most urgent and oldest first; how many were
    assigned. Runs when an agent comes online or frees capacity, and every minute."""
    waiting = list(Ticket.objects.filter(assignee__isnull=True, status__in=NEEDS_PERSON,
                                         queue__routing__auto_assign=True)
                   .order_by("priority", "created_at", "pk").values_list("pk", flat=True)[:limit])
    return sum(1 for pk in waiting if auto_assign(pk) is not None)


def take(ticket: Ticket, *, by: Agent) -> Ticket:
    """"Assign to me": any agent, on a ticket they can see."""
    _require_queue(by, ticket)
    return _give(ticket, by, by=by)


def reassign(ticket: Ticket, agent: Agent, *, by: Agent) -> Ticket:
    """A supervisor gives the ticket to `agent`, who must be active and work its queue."""
    _require_supervisor(by)
    if not (agent.is_active and agent.has_role(Role.AGENT)):
        raise AssignmentRefused(_("That person is not an active agent."))
    if not works_queue(agent, ticket.queue):
        raise AssignmentRefused(_("That agent does not work this ticket's queue."))
    return _give(ticket, agent, by=by)


def _give(ticket: Ticket, agent: Agent, *, by: Agent) -> Ticket:
    """Assign under the ticket's lock, audited; the previous assignee's freed place goes to
    whoever waits."""
    with transaction.atomic():
        locked = _locked(ticket)
        if locked.assignee_id == agent.pk:
            return locked
        old = locked.assignee
        change_assignee(locked, agent, actor=audit.actor_of(by))
        _audit(by, locked, "ticket.assign", agent=agent.public_name, previous=_name(old))
    if old is not None:
        route_waiting_after_commit()
    return locked


def unassign(ticket: Ticket, *, by: Agent) -> Ticket:
    """A supervisor takes the ticket from its assignee; it waits in its queue again (and is
    not given straight back by the router: it is picked up on the next freed place or sweep)."""
    _require_supervisor(by)
    with transaction.atomic():
        locked = _locked(ticket)
        if locked.assignee_id is None:
            return locked
        old = locked.assignee
        change_assignee(locked, None, actor=audit.actor_of(by))
        _audit(by, locked, "ticket.unassign", previous=_name(old))
    return locked


def _require_supervisor(by: Agent) -> None:
    if not (by.is_active and by.has_role(Role.SUPERVISOR)):
        raise TicketAccessDenied


def _require_queue(by: Agent, ticket: Ticket) -> None:
    if not (by.is_active and by.has_role(Role.AGENT) and works_queue(by, ticket.queue)):
        raise TicketAccessDenied


def _locked(ticket: Ticket) -> Ticket:
    return (Ticket.objects.select_for_update(of=("self",)).select_related("assignee", "queue")
            .get(pk=ticket.pk))


def _name(agent: Agent | None) -> str | None:
    return agent.public_name if agent is not None else None


def change_assignee(ticket: Ticket, agent: Agent | None, *, actor: str) -> None:
    """Write the new assignee on the ticket the caller holds locked and its timeline entry; the
    live announcement and the new assignee's toast (unless they took it) go after commit."""
    old = ticket.assignee if ticket.assignee_id else None
    ticket.assignee = agent
    if agent is not None and ticket.status == Status.NEW:
        ticket.status = Status.OPEN
    ticket.updated_at = timezone.now()
    ticket.save(update_fields=["assignee", "status", "updated_at"])
    if agent is None:
        record_event(ticket, EventKind.UNASSIGNED, actor=actor, old=_name(old))
    else:
        record_event(ticket, EventKind.ASSIGNED, actor=actor, agent=agent.public_name,
                     new=agent.public_name, old=_name(old))
    if agent is not None and actor != audit.actor_of(agent):  # not for taking it oneself
        with override(agent.language):
            notifications.toast(
                agent.pk, kind="assigned",
                title=_("Ticket %(number)s is yours") % {"number": ticket.number},
                body=ticket.subject, url=reverse("console:ticket", args=[ticket.number]))
    announce(ticket, "assigned", assignee=_name(agent))


def _audit(by: Agent, ticket: Ticket, action: str, **details: str | None) -> None:
    audit.record(actor=audit.actor_of(by), action=action, target=f"ticket:{ticket.number}",
                 **details)
