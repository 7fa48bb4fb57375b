"""Console actions of routing: the agent's presence, and a supervisor's reassign / unassign."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from unlockdesk.staff import presence
from unlockdesk.staff.models import Agent, Presence, Role
from unlockdesk.staff.permissions import require_role
from unlockdesk.tickets import selectors
from unlockdesk.tickets.exceptions import TicketAccessDenied
from unlockdesk.tickets.models import Ticket
from unlockdesk.tickets.services.assignment import AssignmentRefused, reassign, unassign


def _agent(request: HttpRequest) -> Agent:
    user = request.user
    assert isinstance(user, Agent)
    return user


def _ticket(request: HttpRequest, number: str) -> Ticket:
    try:
        return selectors.ticket_for_agent(_agent(request), number)
    except TicketAccessDenied as exc:
        raise Http404 from exc


@require_role(Role.AGENT)
@require_POST
def post_presence(request: HttpRequest) -> HttpResponse:
    """The header's presence picker without JavaScript (the live console sends it on its socket)."""
    value = request.POST.get("presence", "")
    if value in Presence.values:
        presence.choose(_agent(request), Presence(value))
    else:
        messages.error(request, _("Choose online, away or offline."))
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        return redirect(back)
    return redirect("console:inbox")


@require_role(Role.SUPERVISOR)
@require_POST
def post_reassign(request: HttpRequest, number: str) -> HttpResponse:
    """Give the ticket to the chosen agent, or to nobody (back to its queue)."""
    ticket = _ticket(request, number)
    chosen = request.POST.get("agent", "")
    try:
        if chosen == "":
            unassign(ticket, by=_agent(request))
            messages.success(request, _("The ticket is unassigned and waits in its queue."))
        else:
            agent = Agent.objects.filter(pk=int(chosen) if chosen.isdigit() else 0).first()
            if agent is None:
                raise AssignmentRefused(_("That person is not an active agent."))
            reassign(ticket, agent, by=_agent(request))
            messages.success(request, _("Assigned to %(name)s.") % {"name": agent.public_name})
    except AssignmentRefused as exc:
        messages.error(request, str(exc))
    except TicketAccessDenied as exc:
        raise Http404 from exc
    return redirect("console:ticket", number=ticket.number)
