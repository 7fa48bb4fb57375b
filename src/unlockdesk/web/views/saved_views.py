"""Saved inbox views: save the current filters under a name, delete one."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from unlockdesk.staff.models import Role
from unlockdesk.staff.permissions import require_role
from unlockdesk.tickets.exceptions import TicketAccessDenied
from unlockdesk.tickets.services.saved_views import ViewRefused, delete_view, save_view
from unlockdesk.web.views.staff_session import agent_of


@require_role(Role.AGENT)
@require_POST
def view_save(request: HttpRequest) -> HttpResponse:
    params = QueryDict(request.POST.get("query", "")[:1000])
    try:
        view = save_view(by=agent_of(request), name=request.POST.get("name", ""),
                         params={k: params.get(k, "") for k in params},
                         shared=request.POST.get("shared") == "on")
    except ViewRefused as exc:
        messages.error(request, str(exc))
        return redirect(reverse("console:inbox") + "?" + params.urlencode())
    except TicketAccessDenied:
        messages.error(request, _("Only supervisors and admins keep shared views."))
        return redirect(reverse("console:inbox") + "?" + params.urlencode())
    messages.success(request, _("View saved."))
    return redirect(reverse("console:inbox") + "?" + view.query)


@require_role(Role.AGENT)
@require_POST
def view_delete(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        delete_view(by=agent_of(request), view_id=pk)
    except TicketAccessDenied as exc:
        raise Http404 from exc
    messages.success(request, _("View deleted."))
    return redirect("console:inbox")
