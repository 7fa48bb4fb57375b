"""Bulk actions on the inbox: the confirmation step, the run, and a job's progress."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from unlockdesk.staff.models import Role
from unlockdesk.staff.permissions import require_role
from unlockdesk.tickets import selectors
from unlockdesk.tickets.exceptions import TicketAccessDenied
from unlockdesk.tickets.inbox_query import canonical_query
from unlockdesk.tickets.models import BulkJob, Priority, Queue, Status
from unlockdesk.tickets.services.bulk import (
    BulkAction,
    BulkRefused,
    apply_to_filter,
    apply_to_tickets,
    count_matching,
    prepare,
)
from unlockdesk.web.views.staff_session import agent_of


def _action(post: QueryDict) -> BulkAction:
    """`action` is "kind:value"; the tag and the agent come from their own fields."""
    kind, _sep, value = post.get("action", "").partition(":")
    if kind == "tag":
        value = post.get("tag", "")
    elif kind == "assign" and value == "agent":
        value = post.get("agent", "")
    return BulkAction(kind=kind[:16], value=value.strip()[:64])


def _ids(post: QueryDict) -> list[int]:
    return [int(v) for v in post.getlist("ticket")[:1000] if v.isdigit()]


def describe(action: BulkAction) -> str:
    """The action in words, for the confirmation."""
    value = action.value
    if action.kind == "status" and value in Status.values:
        return _("Set status to %(value)s") % {"value": Status(value).label}
    if action.kind == "priority" and value.isdigit() and int(value) in Priority.values:
        return _("Set priority to %(value)s") % {"value": Priority(int(value)).label}
    if action.kind == "queue":
        queue = Queue.objects.filter(slug=value).first()
        return _("Move to queue %(value)s") % {"value": queue or value}
    if action.kind == "tag":
        return _("Add tag %(value)s") % {"value": "#" + value}
    if action.kind == "assign":
        if value in ("", "-"):
            return _("Unassign")
        return _("Assign to me") if value == "me" else _("Assign to %(value)s") % {"value": value}
    return action.kind


def _back(query: str) -> HttpResponse:
    return redirect(reverse("console:inbox") + (f"?{query}" if query else ""))


@require_role(Role.AGENT)
@require_POST
def bulk_confirm(request: HttpRequest) -> HttpResponse:
    """First step: check the action and say how many tickets it will change; nothing changes."""
    agent = agent_of(request)
    query = canonical_query(QueryDict(request.POST.get("query", "")[:1000]))
    action = _action(request.POST)
    every = request.POST.get("scope") == "all"
    ids = _ids(request.POST)
    try:
        prepare(action, by=agent)
        if every:
            count = count_matching(by=agent, query=query)
            numbers: list[str] = []
        else:
            if not ids:
                raise BulkRefused(_("No tickets selected."))
            visible = selectors.visible_tickets(agent).filter(pk__in=ids)
            count = visible.count()
            if count != len(set(ids)):
                raise TicketAccessDenied
            numbers = list(visible.order_by("pk").values_list("number", flat=True)[:20])
    except BulkRefused as exc:
        messages.error(request, str(exc))
        return _back(query)
    except TicketAccessDenied:
        messages.error(request, _("You may not change these tickets."))
        return _back(query)
    if count == 0:
        messages.error(request, _("No tickets match this filter."))
        return _back(query)
    return render(request, "web/console/bulk_confirm.html", {
        "count": count, "numbers": numbers, "every": every, "ids": sorted(set(ids)),
        "query": query, "action": action, "action_words": describe(action),
        "raw_action": request.POST.get("action", ""), "tag": action.value if action.kind == "tag" else "",
        "agent_value": request.POST.get("agent", "")[:64],
    })


@require_role(Role.AGENT)
@require_POST
def bulk_run(request: HttpRequest) -> HttpResponse:
    """Second step, after the confirmation: change the tickets (or queue a job for many)."""
    agent = agent_of(request)
    query = canonical_query(QueryDict(request.POST.get("query", "")[:1000]))
    action = _action(request.POST)
    try:
        if request.POST.get("scope") == "all":
            result = apply_to_filter(by=agent, query=query, action=action)
        else:
            result = apply_to_tickets(by=agent, ticket_ids=_ids(request.POST), action=action)
    except BulkRefused as exc:
        messages.error(request, str(exc))
        return _back(query)
    except TicketAccessDenied:
        messages.error(request, _("You may not change these tickets."))
        return _back(query)
    if result.job is not None and result.job.state != "done":
        messages.success(request, _("%(count)d tickets are being changed on the task queue.")
                         % {"count": result.job.total})
        return redirect("console:bulk_job", pk=result.job.pk)
    messages.success(request, _("%(changed)d tickets changed, %(skipped)d left as they were.")
                     % {"changed": result.changed, "skipped": result.skipped})
    return _back(query)


@require_role(Role.AGENT)
def bulk_job(request: HttpRequest, pk: int) -> HttpResponse:
    """How far a queued bulk action got; an agent sees only their own jobs."""
    agent = agent_of(request)
    job = BulkJob.objects.filter(pk=pk, agent=agent).first()
    if job is None:
        raise Http404
    return render(request, "web/console/bulk_job.html", {
        "job": job, "action_words": describe(BulkAction(kind=job.action, value=job.value)),
        "done": job.changed + job.skipped})
