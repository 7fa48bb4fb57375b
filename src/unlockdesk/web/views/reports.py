"""Console floor reports: the charts page and each chart's CSV. Supervisors and admins only
(the selectors refuse anyone else; the decorator turns agents away before any query)."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from unlockdesk.reports import selectors
from unlockdesk.reports.export import report_csv
from unlockdesk.reports.types import MAX_DAYS, ReportFilters
from unlockdesk.safety import audit
from unlockdesk.staff.models import Agent, Role
from unlockdesk.staff.permissions import require_role
from unlockdesk.tickets.models import Queue

DEFAULT_DAYS = 30


@dataclass(frozen=True)
class ParsedFilters:
    filters: ReportFilters
    error: str = ""


def parse_filters(params: QueryDict) -> ParsedFilters:
    """`from`, `to` (YYYY-MM-DD, inclusive) and `queue` (slug); the last 30 days of every queue
    when absent. Bad input gives the default range and an error to show, never a guess."""
    today = timezone.localdate()
    default = ReportFilters(start=today - timedelta(days=DEFAULT_DAYS - 1), end=today)
    try:
        start = date.fromisoformat(params.get("from", "")[:10]) if params.get("from") else default.start
        end = date.fromisoformat(params.get("to", "")[:10]) if params.get("to") else default.end
    except ValueError:
        return ParsedFilters(default, _("Dates are written as YYYY-MM-DD."))
    if start > end:
        return ParsedFilters(default, _("The start date is after the end date."))
    if (end - start).days + 1 > MAX_DAYS:
        return ParsedFilters(default, _("Choose at most %(n)d days.") % {"n": MAX_DAYS})
    queue_id = None
    if params.get("queue"):
        queue = Queue.objects.filter(slug=params.get("queue", "")[:50]).first()
        if queue is None:
            return ParsedFilters(default, _("There is no such queue."))
        queue_id = queue.pk
    return ParsedFilters(ReportFilters(start=start, end=end, queue_id=queue_id))


def _agent(request: HttpRequest) -> Agent:
    user = request.user
    assert isinstance(user, Agent)
    return user


@require_role(Role.SUPERVISOR)
def reports_page(request: HttpRequest) -> HttpResponse:
    parsed = parse_filters(request.GET)
    reports = [] if parsed.error else selectors.floor_reports(_agent(request), parsed.filters)
    return render(request, "web/console/reports.html", {
        "reports": reports,
        "charts": [r.chart() for r in reports],
        "filters": parsed.filters,
        "error": parsed.error,
        "queue_slug": request.GET.get("queue", "") if not parsed.error else "",
        "queues": Queue.objects.order_by("name"),
        "query": request.GET.urlencode(),
    }, status=400 if parsed.error else 200)


@require_role(Role.SUPERVISOR)
def report_export(request: HttpRequest, key: str) -> HttpResponse:
    if key not in selectors.REPORTS:
        raise Http404
    parsed = parse_filters(request.GET)
    if parsed.error:
        return HttpResponse(parsed.error, status=400, content_type="text/plain; charset=utf-8")
    filters = parsed.filters
    report = selectors.floor_report(_agent(request), key, filters)
    audit.record(actor=audit.actor_of(request.user), action="report.export", target=f"report:{key}",
                 start=filters.start.isoformat(), end=filters.end.isoformat(),
                 queue=filters.queue_id)
    response = HttpResponse(report_csv(report), content_type="text/csv; charset=utf-8")
    name = f"{key}_{filters.start.isoformat()}_{filters.end.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
