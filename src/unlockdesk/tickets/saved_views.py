"""Reads of saved inbox views, each with a cheap, bounded count.

An agent sees the shared views and their own. Counts stop at selectors.COUNT_LIMIT (the sidebar
says "1000+"), each one bounded query on the same permission-filtered tickets the inbox shows.
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from unlockdesk.staff.models import Agent, Role
from unlockdesk.tickets import selectors
from unlockdesk.tickets.exceptions import TicketAccessDenied
from unlockdesk.tickets.inbox_query import filters_from_query
from unlockdesk.tickets.models import SavedView


@dataclass(frozen=True)
class ViewWithCount:
    id: int
    name: str
    query: str
    shared: bool
    count: int
    capped: bool
    editable: bool


def views_for(agent: Agent) -> QuerySet[SavedView]:
    if not (agent.is_authenticated and agent.is_active and agent.has_role(Role.AGENT)):
        raise TicketAccessDenied
    return SavedView.objects.filter(Q(owner__isnull=True) | Q(owner=agent)).order_by(
        "owner_id", "name", "id")


def may_edit(agent: Agent, view: SavedView) -> bool:
    return view.owner_id == agent.pk if view.owner_id else agent.has_role(Role.SUPERVISOR)


def editable_view(agent: Agent, view_id: int) -> SavedView:
    view = views_for(agent).filter(pk=view_id).first()
    if view is None or not may_edit(agent, view):
        raise TicketAccessDenied
    return view


def bounded_count(agent: Agent, query: str) -> tuple[int, bool]:
    """(count up to COUNT_LIMIT, whether there are more) of the tickets the view shows."""
    return selectors.inbox_count(agent, filters_from_query(query))


def views_with_counts(agent: Agent) -> list[ViewWithCount]:
    rows = []
    for view in views_for(agent):
        count, capped = bounded_count(agent, view.query)
        rows.append(ViewWithCount(id=view.pk, name=view.name, query=view.query,
                                  shared=view.owner_id is None, count=count, capped=capped,
                                  editable=may_edit(agent, view)))
    return rows
