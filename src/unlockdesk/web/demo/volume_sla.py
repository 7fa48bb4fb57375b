"""SLA clocks for load-volume's open tickets, as the pipeline and the escalation task leave them.

A loaded desk without clocks would time an inbox whose rows show no timers and an escalation
sweep with nothing to look at: the benchmarks would flatter both. Each open ticket gets the
targets its priority and queue's policy set (`sla.terms_for`, on the policy's calendar):
resolution from when it opened, first response while nobody answered (new), next response
from the customer's last message (waiting on us); waiting on the customer pauses them. A
target whose warning or due time has passed is recorded as warned or breached, as escalation
would have. Resolved and closed tickets get no target rows (their met clocks are history no
screen reads).
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from unlockdesk.tickets import sla
from unlockdesk.tickets.models import SlaTargetKind, Status
from unlockdesk.tickets.services import sla_clock

TICKET_COLUMNS = ["first_response_due", "first_response_at", "next_response_due",
                  "resolution_due", "sla_warning_at", "sla_paused_at", "sla_breached"]
TARGET_COLUMNS = ["id", "ticket_id", "kind", "policy_id", "minutes", "warn_percent",
                  "started_at", "warn_at", "due_at", "next_check_at", "warned_at", "breached_at"]


class VolumeClocks:
    """Ticket SLA columns and SlaTarget rows, one ticket at a time; ids from `first_id`."""

    def __init__(self, now: datetime, first_id: int, dt: Callable[[datetime | None], Any]) -> None:
        self.now = now
        self.next_id = first_id
        self.dt = dt
        self._terms: dict[tuple[int, int | None], sla.Terms] = {}

    def _terms_for(self, priority: int, queue_id: int | None) -> sla.Terms:
        key = (priority, queue_id)
        if key not in self._terms:
            self._terms[key] = sla.terms_for(priority, queue_id)
        return self._terms[key]

    def clocks(self, *, ticket_id: int, status: str, priority: int, queue_id: int | None,
               created: datetime, answered: datetime, last_customer: datetime,
               breached: bool, targets: list[tuple[Any, ...]]) -> tuple[Any, ...]:
        """The ticket's values for TICKET_COLUMNS; its running targets go to `targets`."""
        if status in (Status.RESOLVED, Status.CLOSED):
            return (None, self.dt(answered), None, None, None, None, breached)
        terms = self._terms_for(priority, queue_id)
        paused = last_customer if status == Status.WAITING_CUSTOMER else None
        starts = {SlaTargetKind.RESOLUTION: created}
        if status == Status.NEW:
            starts[SlaTargetKind.FIRST_RESPONSE] = created
        elif status == Status.WAITING_US:
            starts[SlaTargetKind.NEXT_RESPONSE] = last_customer
        dues: dict[str, datetime] = {}
        pending: list[datetime] = []
        for kind, started in starts.items():
            due, warn, broke = self._target(ticket_id, kind, started, terms, paused or self.now,
                                            paused is not None, targets)
            dues[kind] = due
            breached = breached or broke
            if not broke:
                pending.append(warn)
        return (self.dt(dues.get(SlaTargetKind.FIRST_RESPONSE)),
                None if status == Status.NEW else self.dt(answered),
                self.dt(dues.get(SlaTargetKind.NEXT_RESPONSE)),
                self.dt(dues[SlaTargetKind.RESOLUTION]),
                self.dt(min(pending, default=None)), self.dt(paused), breached)

    def _target(self, ticket_id: int, kind: str, started: datetime, terms: sla.Terms,
                ref: datetime, paused: bool, targets: list[tuple[Any, ...]],
                ) -> tuple[datetime, datetime, bool]:
        """Append one target row; (due, warning, breached by `ref`)."""
        target = sla_clock.new_target(kind, terms, started)
        target.warned_at = target.warn_at if target.warn_at <= ref else None
        target.breached_at = target.due_at if target.due_at <= ref else None
        target.next_check_at = None if paused else sla_clock.next_check(target)
        dt = self.dt
        targets.append((self.next_id, ticket_id, kind, target.policy_id, target.minutes,
                        target.warn_percent, dt(started), dt(target.warn_at), dt(target.due_at),
                        dt(target.next_check_at), dt(target.warned_at), dt(target.breached_at)))
        self.next_id += 1
        return target.due_at, target.warn_at, target.breached_at is not None
