"""Floor reports as database aggregates: one GROUP BY per chart, never a row per ticket in
Python. Day truncation is TruncDate in the desk's time zone and durations are compared as
`end < start + interval`, both of which Django compiles for SQLite and PostgreSQL alike.

Only supervisors and admins may read reports: every public function checks, so no view can
forget (ReportAccessDenied).
"""

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from itertools import pairwise
from typing import Any

from django.db.models import Avg, Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from unlockdesk.reports.models import CsatSurvey
from unlockdesk.reports.types import Report, ReportFilters, Series
from unlockdesk.staff.models import Agent, Role
from unlockdesk.tickets.models import Category, Priority, Queue, Status, Ticket
from unlockdesk.tickets.types import Channel
from unlockdesk.unlock.models import UnlockApplication
from unlockdesk.unlock.types import ApplicationStatus


class ReportAccessDenied(Exception):
    """Reports are for supervisors and admins."""


def _require_supervisor(agent: Agent) -> None:
    if not (agent.is_authenticated and agent.is_active and agent.has_role(Role.SUPERVISOR)):
        raise ReportAccessDenied


def _tickets(filters: ReportFilters) -> QuerySet[Ticket]:
    """Tickets opened in the range (and queue); unordered, so GROUP BY holds only its keys."""
    tickets = Ticket.objects.filter(created_at__gte=filters.since, created_at__lt=filters.until)
    if filters.queue_id is not None:
        tickets = tickets.filter(queue_id=filters.queue_id)
    return tickets.order_by()


def _hours(n: float) -> timedelta:
    return timedelta(hours=n)


def _duration_label(limit: timedelta) -> str:
    minutes = int(limit.total_seconds() // 60)
    if minutes < 60:
        return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
    if minutes < 24 * 60:
        return ngettext("%(n)d hour", "%(n)d hours", minutes // 60) % {"n": minutes // 60}
    days = minutes // (24 * 60)
    return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}


def _bucket_labels(limits: Sequence[timedelta]) -> list[str]:
    labels = [_("under %(limit)s") % {"limit": _duration_label(limits[0])}]
    labels += [_("%(low)s to %(high)s") % {"low": _duration_label(low), "high": _duration_label(high)}
               for low, high in pairwise(limits)]
    labels.append(_("over %(limit)s") % {"limit": _duration_label(limits[-1])})
    return labels


def _duration_buckets(rows: QuerySet[Any], start: str, end: str,
                      limits: Sequence[timedelta]) -> list[int]:
    """How many rows have `end - start` under each limit (and over the last), in one query."""
    bucket = Case(*[When(**{f"{end}__lt": F(start) + limit}, then=Value(i))
                    for i, limit in enumerate(limits)],
                  default=Value(len(limits)), output_field=IntegerField())
    counts = [0] * (len(limits) + 1)
    for row in rows.annotate(bucket=bucket).values("bucket").annotate(n=Count("pk")).order_by():
        counts[row["bucket"]] += row["n"]
    return counts


def _per_day(rows: QuerySet[Any], field: str, by: str, filters: ReportFilters,
             label: Callable[[str], str]) -> tuple[list[str], list[Series]]:
    """Counts per day (in the desk's time zone) and per value of `by`, zeros filled in."""
    grouped = (rows.annotate(day=TruncDate(field, tzinfo=filters.zone))
               .values("day", by).annotate(n=Count("pk")).order_by())
    days = filters.days()
    index = {day: i for i, day in enumerate(days)}
    counts: dict[str, list[float]] = {}
    for row in grouped:
        day = row["day"]
        if isinstance(day, str):  # some SQLite builds hand back text
            day = date.fromisoformat(day)
        if day in index:
            counts.setdefault(row[by], [0] * len(days))[index[day]] += row["n"]
    series = [Series(label(key), values) for key, values in sorted(counts.items())]
    return [d.isoformat() for d in days], series


def _day_table(labels: list[str], series: list[Series], first: str) -> tuple[list[str], list[list[object]]]:
    columns = [first, *(s.label for s in series)]
    rows = [[day, *(int(s.values[i]) for s in series)] for i, day in enumerate(labels)]
    return columns, rows


def _choice_label(choices: type[Channel] | type[Category]) -> Callable[[str], str]:
    names = dict(choices.choices)
    return lambda value: str(names.get(value, value))


def volume_by_channel(filters: ReportFilters) -> Report:
    labels, series = _per_day(_tickets(filters), "created_at", "channel", filters,
                              _choice_label(Channel))
    columns, rows = _day_table(labels, series, _("Day"))
    return Report("volume_channel", _("New tickets per day by channel"),
                  _("Tickets opened each day, by the channel they came in on."),
                  "bar", labels, series, columns, rows, stacked=True)


def volume_by_category(filters: ReportFilters) -> Report:
    labels, series = _per_day(_tickets(filters), "created_at", "category", filters,
                              _choice_label(Category))
    columns, rows = _day_table(labels, series, _("Day"))
    return Report("volume_category", _("New tickets per day by category"),
                  _("Tickets opened each day, by what they are about."),
                  "bar", labels, series, columns, rows, stacked=True)


FIRST_RESPONSE_LIMITS = [timedelta(minutes=15), _hours(1), _hours(4), _hours(24), _hours(72)]
RESOLUTION_LIMITS = [_hours(1), _hours(4), _hours(24), _hours(72), _hours(168)]
DECISION_LIMITS = [_hours(1), _hours(4), _hours(24), _hours(72)]


def _distribution(key: str, title: str, note: str, counts: list[int],
                  limits: Sequence[timedelta], column: str = "") -> Report:
    labels = _bucket_labels(limits)
    column = column or _("Tickets")
    return Report(key, title, note, "bar", labels, [Series(column, [float(c) for c in counts])],
                  [_("Time"), column], [[label, count] for label, count in zip(labels, counts, strict=True)])


def first_response_times(filters: ReportFilters) -> Report:
    rows = _tickets(filters).filter(first_response_at__isnull=False)
    counts = _duration_buckets(rows, "created_at", "first_response_at", FIRST_RESPONSE_LIMITS)
    return _distribution("first_response", _("Time to first response"),
                         _("Tickets opened in the range that have had a first answer."),
                         counts, FIRST_RESPONSE_LIMITS)


def resolution_times(filters: ReportFilters) -> Report:
    rows = _tickets(filters).filter(resolved_at__isnull=False)
    counts = _duration_buckets(rows, "created_at", "resolved_at", RESOLUTION_LIMITS)
    return _distribution("resolution", _("Time to resolution"),
                         _("Tickets opened in the range that are resolved or closed."),
                         counts, RESOLUTION_LIMITS)


def _percent(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


def sla_attainment(filters: ReportFilters) -> Report:
    """Per priority: of the tickets whose target is settled (answered, or past due), the share
    answered in time; the same for resolution. Tickets still inside their target don't count."""
    now = timezone.now()
    first_due = Q(first_response_due__isnull=False) & (
        Q(first_response_at__isnull=False) | Q(first_response_due__lt=now))
    first_met = Q(first_response_due__isnull=False, first_response_at__isnull=False,
                  first_response_at__lte=F("first_response_due"))
    resolution_due = Q(resolution_due__isnull=False) & (
        Q(resolved_at__isnull=False) | Q(resolution_due__lt=now))
    resolution_met = Q(resolution_due__isnull=False, resolved_at__isnull=False,
                       resolved_at__lte=F("resolution_due"))
    grouped = {row["priority"]: row for row in _tickets(filters).values("priority").annotate(
        n_first_due=Count("pk", filter=first_due), n_first_met=Count("pk", filter=first_met),
        n_resolution_due=Count("pk", filter=resolution_due),
        n_resolution_met=Count("pk", filter=resolution_met)).order_by()}
    labels, first, resolution, rows = [], [], [], []
    for priority in Priority:
        row: dict[str, Any] = dict(grouped.get(priority.value, {}))
        fd, fm = row.get("n_first_due", 0), row.get("n_first_met", 0)
        rd, rm = row.get("n_resolution_due", 0), row.get("n_resolution_met", 0)
        labels.append(str(priority.label))
        first.append(_percent(fm, fd))
        resolution.append(_percent(rm, rd))
        rows.append([str(priority.label), fd, fm, _percent(fm, fd), rd, rm, _percent(rm, rd)])
    return Report(
        "sla", _("SLA attainment"),
        _("Share of tickets answered and resolved within their targets, by priority."),
        "bar", labels, [Series(_("First response in time (%)"), first),
                        Series(_("Resolved in time (%)"), resolution)],
        [_("Priority"), _("First response: measured"), _("First response: in time"),
         _("First response: in time (%)"), _("Resolution: measured"), _("Resolution: in time"),
         _("Resolution: in time (%)")], rows, unit="percent")


BACKLOG_LIMITS = [timedelta(days=1), timedelta(days=3), timedelta(days=7), timedelta(days=30)]


def backlog_by_age(filters: ReportFilters) -> Report:
    """Open tickets now, by how long ago they were opened (the date range does not apply)."""
    now = timezone.now()
    tickets = Ticket.objects.exclude(status__in=[Status.RESOLVED, Status.CLOSED])
    if filters.queue_id is not None:
        tickets = tickets.filter(queue_id=filters.queue_id)
    bucket = Case(*[When(created_at__gt=now - limit, then=Value(i))
                    for i, limit in enumerate(BACKLOG_LIMITS)],
                  default=Value(len(BACKLOG_LIMITS)), output_field=IntegerField())
    counts = {p.value: [0.0] * (len(BACKLOG_LIMITS) + 1) for p in Priority}
    for row in (tickets.order_by().annotate(bucket=bucket).values("bucket", "priority")
                .annotate(n=Count("pk"))):
        counts.setdefault(row["priority"], [0.0] * (len(BACKLOG_LIMITS) + 1))[row["bucket"]] += row["n"]
    labels = _bucket_labels(BACKLOG_LIMITS)
    series = [Series(str(p.label), counts[p.value]) for p in Priority]
    rows = [[label, *(int(s.values[i]) for s in series)] for i, label in enumerate(labels)]
    return Report("backlog", _("Open tickets by age"),
                  _("Tickets open now, by time since they were opened; the date range does not apply."),
                  "bar", labels, series, [_("Age"), *(s.label for s in series)], rows, stacked=True)


def _applications(filters: ReportFilters) -> QuerySet[UnlockApplication]:
    """Unlock applications decided in the range (the queue is their ticket's)."""
    rows = UnlockApplication.objects.filter(decided_at__gte=filters.since, decided_at__lt=filters.until)
    if filters.queue_id is not None:
        rows = rows.filter(ticket__queue_id=filters.queue_id)
    return rows.order_by()


OUTCOMES = [ApplicationStatus.UNLOCKED, ApplicationStatus.APPROVED, ApplicationStatus.REJECTED,
            ApplicationStatus.NEEDS_INFO]


def unlock_outcomes(filters: ReportFilters) -> Report:
    counts = {row["status"]: row["n"] for row in
              _applications(filters).values("status").annotate(n=Count("pk"))}
    shown = [s for s in OUTCOMES if s in counts] + sorted(s for s in counts if s not in OUTCOMES)
    names = dict(ApplicationStatus.choices)
    labels = [str(names.get(s, s)) for s in shown]
    values = [float(counts[s]) for s in shown]
    return Report("unlock_outcomes", _("Unlock applications by outcome"),
                  _("Applications with a reviewer's decision in the range, by where they stand now."),
                  "doughnut", labels, [Series(_("Applications"), values)],
                  [_("Outcome"), _("Applications")],
                  [[label, int(v)] for label, v in zip(labels, values, strict=True)])


def unlock_decision_times(filters: ReportFilters) -> Report:
    rows = _applications(filters).filter(submitted_at__isnull=False)
    counts = _duration_buckets(rows, "submitted_at", "decided_at", DECISION_LIMITS)
    return _distribution("unlock_decision_time", _("Unlock applications: time to decision"),
                         _("From submission to the reviewer's decision."), counts, DECISION_LIMITS,
                         column=_("Applications"))


def _answers(filters: ReportFilters) -> QuerySet[CsatSurvey]:
    rows = CsatSurvey.objects.filter(answered_at__gte=filters.since, answered_at__lt=filters.until)
    if filters.queue_id is not None:
        rows = rows.filter(queue_id=filters.queue_id)
    return rows.order_by()


def csat_ratings(filters: ReportFilters) -> Report:
    counts = {row["rating"]: row["n"] for row in _answers(filters).values("rating").annotate(n=Count("pk"))}
    asked = CsatSurvey.objects.filter(asked_at__gte=filters.since, asked_at__lt=filters.until)
    if filters.queue_id is not None:
        asked = asked.filter(queue_id=filters.queue_id)
    totals = asked.order_by().aggregate(
        asked=Count("pk"), answered=Count("pk", filter=Q(answered_at__isnull=False)))
    labels = [str(n) for n in range(1, 6)]
    values = [float(counts.get(n, 0)) for n in range(1, 6)]
    answered = int(sum(values))
    average = round(sum(n * counts.get(n, 0) for n in range(1, 6)) / answered, 2) if answered else None
    satisfied = _percent(counts.get(4, 0) + counts.get(5, 0), answered)
    return Report("csat", _("Customer satisfaction"),
                  _("Ratings from 1 (poor) to 5 (excellent) given in the range."),
                  "bar", labels, [Series(_("Answers"), values)], [_("Rating"), _("Answers")],
                  [[label, int(v)] for label, v in zip(labels, values, strict=True)],
                  extra={"average": average, "satisfied": satisfied, "asked": totals["asked"],
                         "answered": totals["answered"],
                         "response_rate": _percent(totals["answered"], totals["asked"])})


def _csat_grouped(filters: ReportFilters, by: str, key: str, title: str, first: str,
                  name: Callable[[object], str]) -> Report:
    grouped = list(_answers(filters).values(by).annotate(
        n=Count("pk"), average=Avg("rating"), satisfied=Count("pk", filter=Q(rating__gte=4))))
    grouped.sort(key=lambda row: (-row["n"], name(row[by])))
    labels = [name(row[by]) for row in grouped]
    averages = [round(float(row["average"]), 2) for row in grouped]
    rows = [[label, row["n"], avg, _percent(row["satisfied"], row["n"])]
            for label, row, avg in zip(labels, grouped, averages, strict=True)]
    return Report(key, title, _("Average rating (1 to 5) of the answers given in the range."),
                  "bar", labels, [Series(_("Average rating"), averages)],
                  [first, _("Answers"), _("Average rating"), _("Satisfied, 4 or 5 (%)")], rows,
                  unit="rating")


def csat_by_agent(filters: ReportFilters) -> Report:
    ids = set(_answers(filters).values_list("agent_id", flat=True).distinct())
    agents = {a.pk: a.public_name for a in Agent.objects.filter(pk__in=ids - {None})}
    return _csat_grouped(filters, "agent_id", "csat_agent", _("Satisfaction by agent"), _("Agent"),
                         lambda pk: agents.get(pk, _("Unassigned")) if pk else _("Unassigned"))  # type: ignore[call-overload]


def csat_by_queue(filters: ReportFilters) -> Report:
    queues = {q.pk: str(q) for q in Queue.objects.all()}
    return _csat_grouped(filters, "queue_id", "csat_queue", _("Satisfaction by queue"), _("Queue"),
                         lambda pk: queues.get(pk, _("No queue")) if pk else _("No queue"))  # type: ignore[call-overload]


def csat_by_channel(filters: ReportFilters) -> Report:
    label = _choice_label(Channel)
    return _csat_grouped(filters, "channel", "csat_channel", _("Satisfaction by channel"),
                         _("Channel"), lambda value: label(str(value)))


REPORTS: dict[str, Callable[[ReportFilters], Report]] = {
    "volume_channel": volume_by_channel,
    "volume_category": volume_by_category,
    "first_response": first_response_times,
    "resolution": resolution_times,
    "sla": sla_attainment,
    "backlog": backlog_by_age,
    "unlock_outcomes": unlock_outcomes,
    "unlock_decision_time": unlock_decision_times,
    "csat": csat_ratings,
    "csat_agent": csat_by_agent,
    "csat_queue": csat_by_queue,
    "csat_channel": csat_by_channel,
}


def floor_reports(agent: Agent, filters: ReportFilters) -> list[Report]:
    """Every report, in the page's order; supervisors and admins only."""
    _require_supervisor(agent)
    return [build(filters) for build in REPORTS.values()]


def floor_report(agent: Agent, key: str, filters: ReportFilters) -> Report:
    """One report by key (KeyError for an unknown key); supervisors and admins only."""
    _require_supervisor(agent)
    return REPORTS[key](filters)


def survey_of(ticket: Ticket) -> CsatSurvey | None:
    """The ticket's satisfaction survey, if it was asked; callers have checked the ticket is
    the customer's (tickets.selectors.ticket_for_customer)."""
    return CsatSurvey.objects.filter(ticket=ticket).first()
