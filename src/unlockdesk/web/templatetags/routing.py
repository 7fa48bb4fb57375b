"""What the console's header and ticket page show of routing: the agent's presence and, for
supervisors, whom a ticket may be given to."""

from django import template

from unlockdesk.staff import presence
from unlockdesk.staff.models import Agent, Presence, RoutingProfile
from unlockdesk.tickets import selectors
from unlockdesk.tickets.models import Ticket

register = template.Library()


@register.simple_tag
def presence_of(agent: Agent) -> RoutingProfile:
    """The agent's routing profile, unsaved when they have none yet (a page view writes nothing)."""
    return presence.profile_or_default(agent)


@register.simple_tag
def presence_choices() -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in Presence.choices]


@register.simple_tag
def assignable_agents(asking: Agent, ticket: Ticket) -> list[Agent]:
    return selectors.assignable_agents(asking, ticket)
