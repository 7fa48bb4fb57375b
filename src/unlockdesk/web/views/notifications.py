"""The console's notifications: the bell's feed (polled, and read on page load), the list, and
marking read. Each agent sees only their own (staff.notifications filters on the asker)."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from unlockdesk.staff import notifications
from unlockdesk.staff.models import Agent, Role
from unlockdesk.staff.permissions import require_role

FEED_ITEMS = 5


def _agent(request: HttpRequest) -> Agent:
    user = request.user
    assert isinstance(user, Agent)
    return user


@require_GET
@require_role(Role.AGENT)
def notification_list(request: HttpRequest) -> HttpResponse:
    agent = _agent(request)
    return render(request, "web/console/notifications.html", {
        "notifications": notifications.recent_for(agent),
        "unread": notifications.unread_count(agent),
    })


@require_GET
@require_role(Role.AGENT)
def notification_feed(request: HttpRequest) -> JsonResponse:
    """What the bell shows: the unread count and the newest unread, as words and links."""
    agent = _agent(request)
    newest = notifications.recent_for(agent, limit=FEED_ITEMS)
    return JsonResponse({
        "unread": notifications.unread_count(agent),
        "items": [{"id": n.pk, "kind": n.kind, "title": n.title, "body": n.body, "url": n.url,
                   "read": n.read_at is not None, "created_at": n.created_at.isoformat()}
                  for n in newest],
    })


@require_POST
@require_role(Role.AGENT)
def notification_read(request: HttpRequest) -> HttpResponse:
    """Mark one (`id`) or all of the agent's notifications read; a bad id changes nothing."""
    raw = request.POST.get("id", "")
    if raw and not raw.isdigit():
        return HttpResponse(status=400)
    notifications.mark_read(agent=_agent(request), ids=[int(raw)] if raw else None)
    return redirect("console:notifications")
