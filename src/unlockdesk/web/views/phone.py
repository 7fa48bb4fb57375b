"""Console phone pages: the callback queue (take, call, log the call) and calls on a ticket.

Every view needs an agent who may see the ticket (the selectors refuse inside); every change
is a tickets service, which writes the timeline and the audit log.
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from unlockdesk.intake import twilio_voice
from unlockdesk.staff.models import Agent, Role
from unlockdesk.staff.permissions import require_role
from unlockdesk.tickets import call_selectors, selectors
from unlockdesk.tickets.contacts import address_of
from unlockdesk.tickets.exceptions import TicketAccessDenied
from unlockdesk.tickets.models import CallbackRequest, Ticket
from unlockdesk.tickets.services.calls import CallRefused, assign_callback, log_call
from unlockdesk.tickets.types import CallDirection, CallOutcome, IdentityKind
from unlockdesk.web.phone_forms import LogCallForm

CALLBACKS_SHOWN = 200  # the most urgent first; a longer queue is a staffing problem, not a page


def _agent(request: HttpRequest) -> Agent:
    user = request.user
    assert isinstance(user, Agent)
    return user


def _callback(request: HttpRequest, pk: int) -> CallbackRequest:
    try:
        return call_selectors.callback_for_agent(_agent(request), pk)
    except TicketAccessDenied as exc:
        raise Http404 from exc


def _ticket(request: HttpRequest, number: str) -> Ticket:
    try:
        return selectors.ticket_for_agent(_agent(request), number)
    except TicketAccessDenied as exc:
        raise Http404 from exc


def _back(request: HttpRequest, default: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(default)


@require_role(Role.AGENT)
def callback_queue(request: HttpRequest) -> HttpResponse:
    agent = _agent(request)
    waiting = call_selectors.callback_queue(agent, limit=CALLBACKS_SHOWN)
    return render(request, "web/console/callbacks.html", {
        "callbacks": waiting.rows,
        "count": waiting.count,
        "capped": waiting.count_capped,
        "form": LogCallForm(),
        "voice_enabled": twilio_voice.voice_enabled(),
        "can_assign": agent.has_role(Role.SUPERVISOR),
        "agents": Agent.objects.filter(is_active=True).order_by("agent_number")
        if agent.has_role(Role.SUPERVISOR) else [],
    })


@require_role(Role.AGENT)
@require_POST
def take_callback(request: HttpRequest, pk: int) -> HttpResponse:
    callback = _callback(request, pk)
    try:
        assign_callback(callback, _agent(request), by=_agent(request))
    except CallRefused as exc:
        messages.error(request, exc.message)
    return redirect("console:callbacks")


@require_role(Role.SUPERVISOR)
@require_POST
def assign_callback_to(request: HttpRequest, pk: int) -> HttpResponse:
    callback = _callback(request, pk)
    target = Agent.objects.filter(is_active=True, pk=request.POST.get("agent") or 0).first()
    if target is None:
        messages.error(request, _("Choose an agent."))
        return redirect("console:callbacks")
    try:
        assign_callback(callback, target, by=_agent(request))
    except CallRefused as exc:
        messages.error(request, exc.message)
    return redirect("console:callbacks")


def _log_from_form(request: HttpRequest, ticket: Ticket, callback: CallbackRequest | None,
                   number: str) -> bool:
    form = LogCallForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return False
    data = form.cleaned_data
    try:
        log_call(ticket=ticket, direction=CallDirection(data["direction"]), number=number,
                 outcome=CallOutcome(data["outcome"]), duration_seconds=data["length"],
                 agent=_agent(request), recording_ref=data["recording_ref"], callback=callback,
                 note=data["note"])
    except CallRefused as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, _("Call logged on ticket %(number)s.") % {"number": ticket.number})
    return True


@require_role(Role.AGENT)
@require_POST
def log_callback_call(request: HttpRequest, pk: int) -> HttpResponse:
    """Log the call made for a callback: answered closes it, otherwise it counts an attempt."""
    callback = _callback(request, pk)
    _log_from_form(request, callback.ticket, callback, callback.number)
    return _back(request, "console:callbacks")


@require_role(Role.AGENT)
@require_POST
def log_ticket_call(request: HttpRequest, number: str) -> HttpResponse:
    """Log any call on a ticket, with the contact's phone number; it answers an open callback."""
    ticket = _ticket(request, number)
    phone = address_of(ticket.contact, IdentityKind.PHONE)
    if not phone:
        messages.error(request, _("This customer has no phone number."))
        return redirect("console:ticket", number=ticket.number)
    _log_from_form(request, ticket, call_selectors.open_callback_of(ticket), phone)
    return redirect("console:ticket", number=ticket.number)


def _place(request: HttpRequest, ticket: Ticket, callback: CallbackRequest | None,
           number: str) -> None:
    """Click-to-call: Twilio rings the agent, then the customer; the call is logged as placed
    and completed by Twilio's reports."""
    agent = _agent(request)
    try:
        placed = twilio_voice.place_call(agent_phone=agent.phone, customer_number=number,
                                         language=agent.language)
    except twilio_voice.CallNotPlaced as exc:
        messages.error(request, _("The call was not placed: %(reason)s") % {"reason": exc.reason})
        return
    try:
        log_call(ticket=ticket, direction=CallDirection.OUTBOUND, number=number,
                 outcome=CallOutcome.IN_PROGRESS, agent=agent, provider_call_id=placed.sid,
                 callback=callback)
    except CallRefused:  # the callback was closed meanwhile: the call is still in the log
        log_call(ticket=ticket, direction=CallDirection.OUTBOUND, number=number,
                 outcome=CallOutcome.IN_PROGRESS, agent=agent, provider_call_id=placed.sid)
    messages.success(request, _("Your phone rings now; answer it to be connected to the customer."))


@require_role(Role.AGENT)
@require_POST
def call_for_callback(request: HttpRequest, pk: int) -> HttpResponse:
    callback = _callback(request, pk)
    _place(request, callback.ticket, callback, callback.number)
    return _back(request, "console:callbacks")


@require_role(Role.AGENT)
@require_POST
def call_ticket_contact(request: HttpRequest, number: str) -> HttpResponse:
    ticket = _ticket(request, number)
    phone = address_of(ticket.contact, IdentityKind.PHONE)
    if not phone:
        messages.error(request, _("This customer has no phone number."))
    else:
        _place(request, ticket, call_selectors.open_callback_of(ticket), phone)
    return redirect("console:ticket", number=ticket.number)
