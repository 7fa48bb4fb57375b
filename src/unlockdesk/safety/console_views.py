"""Console pages of the security team: the audit log and the scam-report queue (supervisors)."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from unlockdesk.safety import selectors, services
from unlockdesk.safety.models import ReportStatus
from unlockdesk.staff.models import Agent, Role
from unlockdesk.staff.permissions import require_role


def _agent(request: HttpRequest) -> Agent:
    user = request.user
    assert isinstance(user, Agent)
    return user


def _page(value: str | None) -> int:
    try:
        return max(int(value or 1), 1)
    except ValueError:
        return 1


@require_role(Role.SUPERVISOR)
def audit_log(request: HttpRequest) -> HttpResponse:
    filters = selectors.AuditFilters(
        action=request.GET.get("action", "")[:64],
        actor=request.GET.get("actor", "")[:64],
        target=request.GET.get("target", "")[:128],
    )
    page = selectors.audit_log(_agent(request), filters, page=_page(request.GET.get("page")))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "safety/console_audit.html", {
        "page": page, "filters": filters, "actions": selectors.audit_actions(_agent(request)),
        "query": query.urlencode(),
    })


@require_role(Role.SUPERVISOR)
def reports(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", ReportStatus.NEW)
    if status not in ReportStatus.values:
        status = ReportStatus.NEW
    return render(request, "safety/console_reports.html", {
        "reports": selectors.security_queue(_agent(request), status=status),
        "status": status, "statuses": ReportStatus.choices,
    })


@require_role(Role.SUPERVISOR)
@require_POST
def decide_report(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        report = selectors.report_for(_agent(request), pk)
    except selectors.SafetyAccessDenied as exc:
        raise Http404 from exc
    decision = request.POST.get("decision")
    try:
        if decision == "confirm":
            services.confirm_report(report, by=_agent(request))
            messages.success(request, _("Confirmed: %(value)s is on the blocklist.")
                             % {"value": report.value})
        elif decision == "dismiss":
            services.dismiss_report(report, by=_agent(request))
            messages.success(request, _("Report dismissed."))
        else:
            messages.error(request, _("Choose confirm or dismiss."))
    except services.ReportError as exc:
        messages.error(request, str(exc))
    return redirect("safety:console_reports")
