"""Reads of macros, with who-may-use-what inside, and a macro filled in for one ticket.

An agent uses the shared macros and their own; nobody reads another agent's personal macros.
The text is filled in the ticket's language (zh-hant converted from the Simplified body), so
what the picker inserts is what the customer will read.
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import override

from unlockdesk.accounts import selectors as account_selectors
from unlockdesk.chinese import for_reader, list_of
from unlockdesk.staff.models import Agent, Role
from unlockdesk.tickets import placeholders
from unlockdesk.tickets.exceptions import TicketAccessDenied
from unlockdesk.tickets.models import Macro, Ticket


@dataclass(frozen=True)
class FilledMacro:
    id: int
    name: str
    text: str
    shared: bool


def _require_agent(agent: Agent) -> None:
    if not (agent.is_authenticated and agent.is_active and agent.has_role(Role.AGENT)):
        raise TicketAccessDenied


def can_keep_shared(agent: Agent) -> bool:
    """Supervisors and admins keep the shared macros."""
    return agent.has_role(Role.SUPERVISOR)


def macros_for(agent: Agent, *, include_inactive: bool = False) -> QuerySet[Macro]:
    """The macros `agent` may use: shared ones and their own, by name."""
    _require_agent(agent)
    macros = Macro.objects.filter(Q(owner__isnull=True) | Q(owner=agent))
    if not include_inactive:
        macros = macros.filter(active=True)
    return macros.order_by("name", "id")


def editable_macro(agent: Agent, macro_id: int) -> Macro:
    """A macro `agent` may change: their own, or a shared one for supervisors; else denied."""
    _require_agent(agent)
    macro = Macro.objects.filter(pk=macro_id).first()
    if macro is None or not may_edit(agent, macro):
        raise TicketAccessDenied
    return macro


def may_edit(agent: Agent, macro: Macro) -> bool:
    if macro.owner_id is None:
        return can_keep_shared(agent)
    return macro.owner_id == agent.pk


def placeholder_values(ticket: Ticket, agent: Agent) -> dict[str, str]:
    """What each placeholder means on this ticket, in its language."""
    language = ticket.language or "zh-hans"
    with override(language):
        name = ticket.contact.display_name.strip() or _("customer")
        reasons: list[str] = []
        if ticket.account_id and ticket.account is not None:
            reasons = list(dict.fromkeys(
                lock.reason_label for lock in account_selectors.active_locks(ticket.account)))
        lock_reason = list_of(reasons, language) if reasons else _("no lock")
    return {
        "customer_name": name,
        "ticket_number": ticket.number,
        "agent_number": agent.agent_number or agent.get_username(),
        "lock_reason": lock_reason,
    }


def fill_macro(macro: Macro, *, ticket: Ticket, agent: Agent) -> str:
    """The macro's text for this ticket: its language's body, placeholders filled."""
    text = placeholders.fill(macro.body(ticket.language or "zh-hans"),
                             placeholder_values(ticket, agent))
    return for_reader(text, ticket.language)


def filled_macros(agent: Agent, ticket: Ticket) -> list[FilledMacro]:
    """Every macro `agent` may use, filled in for `ticket` (the caller already may see it)."""
    return [FilledMacro(id=m.pk, name=m.name, text=fill_macro(m, ticket=ticket, agent=agent),
                        shared=m.owner_id is None)
            for m in macros_for(agent)]
