"""Merging two tickets of one customer and splitting a message out, from the ticket page."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from unlockdesk.staff.models import Role
from unlockdesk.staff.permissions import require_role
from unlockdesk.tickets import selectors
from unlockdesk.tickets.exceptions import TicketAccessDenied
from unlockdesk.tickets.services import TicketMergeRefused, merge_tickets, split_message
from unlockdesk.web.views.staff_session import agent_of


@require_role(Role.AGENT)
@require_POST
def post_merge(request: HttpRequest, number: str) -> HttpResponse:
    """Merge the ticket named in `other` into this one (the other is closed)."""
    agent = agent_of(request)
    try:
        ticket = selectors.ticket_for_agent(agent, number)
    except TicketAccessDenied as exc:
        raise Http404 from exc
    try:
        other = selectors.ticket_for_agent(agent, request.POST.get("other", "")[:40])
        merge_tickets(keep=ticket, other=other, by=agent)
    except TicketAccessDenied:
        messages.error(request, _("No such ticket among those you may see."))
    except TicketMergeRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Ticket %(other)s merged into this one.") % {"other": other.number})
    return redirect("console:ticket", number=ticket.number)


@require_role(Role.AGENT)
@require_POST
def post_split(request: HttpRequest, number: str) -> HttpResponse:
    agent = agent_of(request)
    try:
        ticket = selectors.ticket_for_agent(agent, number)
    except TicketAccessDenied as exc:
        raise Http404 from exc
    seq = request.POST.get("seq", "")
    try:
        new = split_message(ticket=ticket, seq=int(seq) if seq.isdigit() else 0, by=agent)
    except TicketMergeRefused as exc:
        messages.error(request, str(exc))
        return redirect("console:ticket", number=ticket.number)
    messages.success(request, _("Message split out into ticket %(number)s.") % {"number": new.number})
    return redirect("console:ticket", number=new.number)
