"""Long tickets in the console: the earlier messages a ticket page leaves out, on request.

The ticket page renders the newest messages only (`selectors.conversation_page`); the
"show earlier" link asks here for the page before the first one shown: a fragment for the
page's script; followed without script it leads to the ticket page with every message.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from unlockdesk.staff.models import Agent, Role
from unlockdesk.staff.permissions import require_role
from unlockdesk.tickets import selectors
from unlockdesk.tickets.exceptions import TicketAccessDenied


@require_role(Role.AGENT)
def earlier_messages(request: HttpRequest, number: str) -> HttpResponse:
    agent = request.user
    assert isinstance(agent, Agent)
    try:
        ticket = selectors.ticket_for_agent(agent, number)
    except TicketAccessDenied as exc:
        raise Http404 from exc
    before = request.GET.get("before", "")
    if not before.isdigit():
        raise Http404
    if request.headers.get("X-Requested-With") != "fetch":  # followed without script
        return redirect(reverse("console:ticket", args=[ticket.number]) + "?messages=all#conversation")
    page = selectors.conversation_page(ticket, for_customer=False, before_seq=int(before))
    return render(request, "web/console/_ticket_messages.html", {"ticket": ticket, "page": page})
