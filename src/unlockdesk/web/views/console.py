"""Agent console: inbox, ticket page with timeline, reply box and account panel."""

import re
import uuid
from datetime import date

from django.contrib import messages
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from unlockdesk.accounts import selectors as account_selectors
from unlockdesk.safety.audit import actor_of
from unlockdesk.staff.models import Agent, Role
from unlockdesk.staff.permissions import require_role
from unlockdesk.staff.views import PasswordStepView
from unlockdesk.tickets import selectors
from unlockdesk.tickets.contacts import address_of
from unlockdesk.tickets.exceptions import (
    AttachmentRejected,
    InvalidTransition,
    ReplyBlocked,
    TicketAccessDenied,
)
from unlockdesk.tickets.models import Priority, Queue, Status, Ticket
from unlockdesk.tickets.search import search_tickets
from unlockdesk.tickets.services import (
    MergeRefused,
    change_status,
    merge_contacts,
    reply,
    set_tags,
)
from unlockdesk.tickets.services.assignment import take
from unlockdesk.tickets.tags import InvalidTag
from unlockdesk.tickets.types import Channel, IdentityKind
from unlockdesk.web.forms import AgentReplyForm, StatusForm
from unlockdesk.web.responses import private_file_response
from unlockdesk.web.views import macros, social


class LoginView(PasswordStepView):
    """Password first; the TOTP step (unlockdesk.staff) logs in."""

    template_name = "web/console/login.html"
    redirect_authenticated_user = True


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
def inbox(request: HttpRequest) -> HttpResponse:
    """The inbox, or search results when `q` is given; both page with an opaque `after`."""
    params = request.GET
    filters = selectors.InboxFilters(
        status=params.get("status", ""),
        channel=params.get("channel", ""),
        priority=params.get("priority", ""),
        queue=params.get("queue", ""),
        mine=params.get("mine") == "1",
        q=params.get("q", "")[:100],
        created_from=_date(params.get("from")),
        created_to=_date(params.get("to")),
        tag=params.get("tag", "")[:40],
        when=params.get("when", "")[:40],
    )
    after = params.get("after", "")[:200]
    context: dict[str, object]
    if filters.q.strip():
        found = search_tickets(_agent(request), filters.q, filters, after=after)
        context = {"hits": found.hits, "count": found.count, "capped": found.capped,
                   "next_cursor": found.next_cursor, "searching": True}
    else:
        page = selectors.inbox_for(_agent(request), filters, after=after)
        context = {"tickets": page.tickets, "count": page.count, "capped": page.count_capped,
                   "next_cursor": page.next_cursor, "searching": False}
    query = params.copy()
    query.pop("after", None)
    return render(request, "web/console/inbox.html", {
        **context,
        "first": not after,
        "filters": filters,
        "query": query.urlencode(),
        "statuses": Status.choices,
        "channels": Channel.choices,
        "priorities": Priority.choices,
        "queues": Queue.objects.all(),
    })


@require_role(Role.AGENT)
def ticket_page(request: HttpRequest, number: str) -> HttpResponse:
    ticket = _ticket(request, number)
    # Read once for the header, the tags form, the identities and the phone panel.
    prefetch_related_objects([ticket], "tags", "contact__identities")
    account = ticket.account
    candidate = None
    if account is None:
        email = address_of(ticket.contact, IdentityKind.EMAIL)
        phone = address_of(ticket.contact, IdentityKind.PHONE)
        candidate = (account_selectors.account_by_address("email", email) if email else None) or (
            account_selectors.account_by_address("phone", phone) if phone else None)
    panel_account = account or candidate
    return render(request, "web/console/ticket.html", {
        "ticket": ticket,
        # The newest messages and timeline entries; earlier ones on request (long tickets).
        "page": selectors.conversation_page(
            ticket, for_customer=False, limit=0 if request.GET.get("messages") == "all" else None),
        "timeline_page": selectors.recent_timeline(
            ticket, limit=0 if request.GET.get("timeline") == "all" else None),
        "form": AgentReplyForm(initial={"client_id": uuid.uuid4(),
                                        "text": macros.prefilled_reply(request, ticket.number)}),
        "status_form": StatusForm(initial={"status": ticket.status}),
        "account": panel_account,
        "account_verified": account is not None,
        "locks": account_selectors.lock_history(panel_account) if panel_account else [],
        "transactions": account_selectors.recent_transactions(panel_account)
        if panel_account else [],
        "identities": ticket.contact.identities.all(),
        "can_override": _agent(request).has_role(Role.SUPERVISOR),
    })


@require_role(Role.AGENT)
@require_POST
def post_reply(request: HttpRequest, number: str) -> HttpResponse:
    ticket = _ticket(request, number)
    form = AgentReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The reply is empty or too long."))
        return redirect("console:ticket", number=ticket.number)
    try:
        files = social.reply_files(request)
        reply(
            ticket=ticket,
            agent=_agent(request),
            text=form.cleaned_data["text"],
            internal=form.cleaned_data["internal"],
            override_guard=form.cleaned_data["override_guard"],
            client_id=str(form.cleaned_data["client_id"]),
            files=files,
        )
    except AttachmentRejected as exc:
        messages.error(request, _("Not sent: %(reason)s") % {"reason": exc.message})
        request.session["blocked_draft"] = form.cleaned_data["text"]
    except ReplyBlocked as exc:
        messages.error(request, _("Not sent: %(reason)s") % {"reason": exc.reason})
        request.session["blocked_draft"] = form.cleaned_data["text"]
    return redirect("console:ticket", number=ticket.number)


@require_role(Role.AGENT)
@require_POST
def post_status(request: HttpRequest, number: str) -> HttpResponse:
    ticket = _ticket(request, number)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            change_status(ticket, Status(form.cleaned_data["status"]), by=_agent(request))
        except InvalidTransition:
            messages.error(request, _("That status change is not allowed."))
    return redirect("console:ticket", number=ticket.number)


@require_role(Role.AGENT)
@require_POST
def post_tags(request: HttpRequest, number: str) -> HttpResponse:
    """The ticket's tags as typed (comma or space separated): the whole new set."""
    ticket = _ticket(request, number)
    names = [n for n in re.split(r"[,，\s]+", request.POST.get("tags", "")[:1000]) if n]
    try:
        set_tags(ticket, names, by=_agent(request))
    except InvalidTag as exc:
        messages.error(request, _("Tags were not changed: %(why)s") % {"why": exc})
    return redirect("console:ticket", number=ticket.number)


@require_role(Role.AGENT)
@require_POST
def post_assign_me(request: HttpRequest, number: str) -> HttpResponse:
    ticket = _ticket(request, number)
    take(ticket, by=_agent(request))
    return redirect("console:ticket", number=ticket.number)


@require_role(Role.SUPERVISOR)
@require_POST
def post_merge_contact(request: HttpRequest, number: str) -> HttpResponse:
    """Merge the contact of another ticket into this ticket's contact (same person)."""
    ticket = _ticket(request, number)
    other = _ticket(request, request.POST.get("other", ""))
    try:
        merge_contacts(keep=ticket.contact, other=other.contact, by=_agent(request))
    except MergeRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Contacts merged."))
    return redirect("console:ticket", number=ticket.number)


@require_role(Role.AGENT)
def attachment(request: HttpRequest, pk: int) -> HttpResponse:
    try:  # only on a ticket this agent may see
        item = selectors.attachment_for_agent(_agent(request), pk)
    except TicketAccessDenied as exc:
        raise Http404 from exc
    return private_file_response(item, actor=actor_of(request.user))


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None
