"""Saving and deleting named inbox views: an agent's own, or shared ones kept by supervisors."""

from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from unlockdesk.safety import audit
from unlockdesk.staff.models import Agent, Role
from unlockdesk.tickets import saved_views
from unlockdesk.tickets.exceptions import TicketAccessDenied
from unlockdesk.tickets.inbox_query import canonical_query
from unlockdesk.tickets.models import SavedView


class ViewRefused(Exception):
    """The view cannot be saved as asked; the message says why."""


def save_view(*, by: Agent, name: str, params: Mapping[str, str], shared: bool = False) -> SavedView:
    """Save the inbox filters in `params` under `name` (a new view; names are unique per owner
    and among shared views). Shared views need a supervisor."""
    saved_views.views_for(by)  # refuses anyone who is not an active agent
    if shared and not by.has_role(Role.SUPERVISOR):
        raise TicketAccessDenied
    name = " ".join(name.split())[:60]
    if not name:
        raise ViewRefused(_("A view needs a name."))
    query = canonical_query(params)
    try:
        with transaction.atomic():
            view = SavedView.objects.create(name=name, owner=None if shared else by, query=query)
            if shared:
                audit.record(actor=audit.actor_of(by), action="view.save", target=f"view:{view.pk}",
                             name=name, query=query)
    except IntegrityError as exc:
        raise ViewRefused(_("A view with this name exists already.")) from exc
    return view


def delete_view(*, by: Agent, view_id: int) -> None:
    view = saved_views.editable_view(by, view_id)
    with transaction.atomic():
        if view.owner_id is None:
            audit.record(actor=audit.actor_of(by), action="view.delete", target=f"view:{view.pk}",
                         name=view.name)
        view.delete()
