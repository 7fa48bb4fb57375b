"""What the agent-tools includes (saved views, macro picker, merge) read beside the big pages,
so those pages' views need no change: each tag calls one permission-filtered selector."""

from typing import Any

from django import template
from django.db.models import Q

from unlockdesk.staff.models import Agent
from unlockdesk.tickets import hooks, macros, saved_views, selectors
from unlockdesk.tickets.models import Macro, Ticket

register = template.Library()


def _agent(context: template.Context) -> Agent | None:
    user = getattr(context.get("request"), "user", None)
    return user if isinstance(user, Agent) and user.is_authenticated else None


@register.inclusion_tag("web/console/_saved_views.html", takes_context=True)
def saved_views_panel(context: template.Context) -> dict[str, Any]:
    agent = _agent(context)
    return {
        "views": saved_views.views_with_counts(agent) if agent else [],
        "query": context.get("query", ""),
        "can_share": bool(agent and macros.can_keep_shared(agent)),
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag
def inbox_conditions() -> list[hooks.InboxCondition]:
    return hooks.inbox_conditions()


@register.simple_tag(takes_context=True)
def usable_macros(context: template.Context) -> list[Macro]:
    agent = _agent(context)
    return list(macros.macros_for(agent)) if agent else []


@register.simple_tag(takes_context=True)
def other_tickets_of_customer(context: template.Context, ticket: Ticket) -> list[Ticket]:
    """The customer's other open tickets this agent may see: candidates for a merge."""
    agent = _agent(context)
    if agent is None:
        return []
    same = Q(contact_id=ticket.contact_id)
    if ticket.account_id:
        same |= Q(account_id=ticket.account_id)
    return list(selectors.visible_tickets(agent).filter(same, merged_into__isnull=True)
                .exclude(pk=ticket.pk).exclude(status="closed").order_by("-updated_at")[:20])
