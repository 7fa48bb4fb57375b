"""Console macros: keeping them (own and, for supervisors, shared) and the reply-box picker."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from unlockdesk.staff.models import Role
from unlockdesk.staff.permissions import require_role
from unlockdesk.tickets import macros as macro_selectors
from unlockdesk.tickets import selectors
from unlockdesk.tickets.exceptions import TicketAccessDenied
from unlockdesk.tickets.models import Macro
from unlockdesk.tickets.placeholders import ALIASES, NAMES
from unlockdesk.tickets.services.macros import MacroRefused, delete_macro, save_macro
from unlockdesk.web.views.staff_session import agent_of


def _draft(request: HttpRequest) -> dict[str, object]:
    post = request.POST
    return {"name": post.get("name", "")[:80], "body_zh": post.get("body_zh", "")[:5000],
            "body_en": post.get("body_en", "")[:5000], "shared": post.get("shared") == "on"}


def _errors(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


@require_role(Role.AGENT)
def macro_list(request: HttpRequest) -> HttpResponse:
    """GET: the macros the agent may use, a form for a new one; POST: save it."""
    draft: dict[str, object] = {}
    if request.method == "POST":
        draft = _draft(request)
        if _save(request, draft):
            return redirect("console:macros")
    return render(request, "web/console/macros.html", _page(request, draft=draft))


@require_role(Role.AGENT)
def macro_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agent = agent_of(request)
    try:
        macro = macro_selectors.editable_macro(agent, pk)
    except TicketAccessDenied as exc:
        raise Http404 from exc
    draft: dict[str, object] = {"name": macro.name, "body_zh": macro.body_zh, "body_en": macro.body_en,
                                "shared": macro.owner_id is None, "active": macro.active}
    if request.method == "POST":
        draft = {**_draft(request), "active": request.POST.get("active") == "on"}
        if _save(request, draft, macro=macro):
            return redirect("console:macros")
    return render(request, "web/console/macros.html", _page(request, draft=draft, editing=macro))


def _save(request: HttpRequest, draft: dict[str, object], macro: Macro | None = None) -> bool:
    try:
        save_macro(by=agent_of(request), name=str(draft["name"]), body_zh=str(draft["body_zh"]),
                   body_en=str(draft["body_en"]), shared=bool(draft["shared"]),
                   active=bool(draft.get("active", True)), macro=macro)
    except ValidationError as exc:
        messages.error(request, _("Not saved: %(why)s") % {"why": _errors(exc)})
        return False
    except MacroRefused as exc:
        messages.error(request, _("Not saved: %(why)s") % {"why": exc})
        return False
    except TicketAccessDenied:
        messages.error(request, _("Only supervisors and admins keep shared macros."))
        return False
    messages.success(request, _("Macro saved."))
    return True


def _page(request: HttpRequest, *, draft: dict[str, object],
          editing: Macro | None = None) -> dict[str, object]:
    agent = agent_of(request)
    rows = [(m, macro_selectors.may_edit(agent, m))
            for m in macro_selectors.macros_for(agent, include_inactive=True)]
    return {"rows": rows, "draft": draft, "editing": editing,
            "can_share": macro_selectors.can_keep_shared(agent),
            "placeholders": [(name, alias) for name in NAMES
                             for alias, canonical in ALIASES.items() if canonical == name]}


@require_role(Role.AGENT)
@require_POST
def macro_delete(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        delete_macro(by=agent_of(request), macro_id=pk)
    except TicketAccessDenied as exc:
        raise Http404 from exc
    messages.success(request, _("Macro deleted."))
    return redirect("console:macros")


@require_role(Role.AGENT)
@require_GET
def macros_for_ticket(request: HttpRequest, number: str) -> HttpResponse:
    """The picker's list: every macro the agent may use, filled in for this ticket."""
    agent = agent_of(request)
    try:
        ticket = selectors.ticket_for_agent(agent, number)
    except TicketAccessDenied:
        return JsonResponse({"error": _("No such ticket.")}, status=404)
    items = macro_selectors.filled_macros(agent, ticket)
    return JsonResponse({"ticket": ticket.number, "macros": [
        {"id": m.id, "name": m.name, "text": m.text, "shared": m.shared} for m in items]})


def prefilled_reply(request: HttpRequest, number: str) -> str:
    """The text of `?macro=<id>` filled for the ticket (the picker without JavaScript), or ''."""
    raw = request.GET.get("macro", "")
    if not raw.isdigit():
        return ""
    agent = agent_of(request)
    macro = macro_selectors.macros_for(agent).filter(pk=int(raw)).first()
    if macro is None:
        return ""
    ticket = selectors.ticket_for_agent(agent, number)
    return macro_selectors.fill_macro(macro, ticket=ticket, agent=agent)
