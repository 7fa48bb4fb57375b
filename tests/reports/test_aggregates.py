"""Each report's figures, from known rows: days cut in the desk's time zone, durations bucketed
by the database, the queue filter, and the supervisor-only rule. Run on SQLite and PostgreSQL."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.factories import make_agent
from tests.reports.builders import local, make_answer, make_application, make_ticket
from unlockdesk.reports import selectors
from unlockdesk.reports.export import report_csv
from unlockdesk.reports.selectors import ReportAccessDenied
from unlockdesk.reports.types import ReportFilters
from unlockdesk.staff.models import Role
from unlockdesk.tickets.models import Category, Priority, Queue, Status
from unlockdesk.tickets.types import Channel
from unlockdesk.unlock.types import ApplicationStatus

pytestmark = pytest.mark.django_db

MARCH = ReportFilters(start=date(2026, 3, 1), end=date(2026, 3, 3))


def series(report, label: str) -> list[float]:  # type: ignore[no-untyped-def]
    return next(s.values for s in report.series if s.label == label)


def test_volume_per_day_cuts_days_at_midnight_on_the_desks_clock() -> None:
    make_ticket(created_at=local(2026, 3, 1, 23, 30), channel=Channel.EMAIL)
    make_ticket(created_at=local(2026, 3, 2, 0, 30), channel=Channel.EMAIL)
    make_ticket(created_at=local(2026, 3, 2, 9), channel=Channel.CHAT)
    make_ticket(created_at=local(2026, 3, 4, 0, 1), channel=Channel.CHAT)  # after the range
    make_ticket(created_at=local(2026, 2, 28, 23, 59), channel=Channel.CHAT)  # before it
    report = selectors.volume_by_channel(MARCH)
    assert report.labels == ["2026-03-01", "2026-03-02", "2026-03-03"]
    assert series(report, str(Channel.EMAIL.label)) == [1, 1, 0]
    assert series(report, str(Channel.CHAT.label)) == [0, 1, 0]
    assert report.total == 3
    assert report.rows[1][0] == "2026-03-02"


def test_volume_by_category_and_the_queue_filter() -> None:
    security = Queue.objects.create(slug="sec-r", name="Security R")
    other = Queue.objects.create(slug="gen-r", name="General R")
    for _ in range(3):
        make_ticket(created_at=local(2026, 3, 3, 10), category=Category.FRAUD, queue=security)
    make_ticket(created_at=local(2026, 3, 3, 10), category=Category.KYC, queue=other)
    everything = selectors.volume_by_category(MARCH)
    assert everything.total == 4 and len(everything.series) == 2
    only = selectors.volume_by_category(ReportFilters(MARCH.start, MARCH.end, queue_id=security.pk))
    assert only.total == 3 and [s.values for s in only.series] == [[0, 0, 3]]


def test_first_response_times_fall_in_their_buckets() -> None:
    start = local(2026, 3, 2, 8)
    for after in [timedelta(minutes=10), timedelta(minutes=30), timedelta(hours=1),
                  timedelta(hours=5), timedelta(days=2), timedelta(days=5)]:
        make_ticket(created_at=start, first_response_at=start + after)
    make_ticket(created_at=start)  # not answered yet: not in the distribution
    report = selectors.first_response_times(MARCH)
    # under 15 min, 15 min-1 h, 1-4 h (exactly 1 h is not "under 1 h"), 4-24 h, 1-3 d, over 3 d
    assert report.series[0].values == [1, 1, 1, 1, 1, 1]
    assert len(report.labels) == 6


def test_resolution_times_fall_in_their_buckets() -> None:
    start = local(2026, 3, 1, 8)
    for after in [timedelta(minutes=20), timedelta(hours=30), timedelta(hours=31), timedelta(days=9)]:
        make_ticket(created_at=start, resolved_at=start + after, status=Status.RESOLVED)
    report = selectors.resolution_times(MARCH)
    assert report.series[0].values == [1, 0, 0, 2, 0, 1]


def test_sla_attainment_counts_only_settled_targets() -> None:
    start = local(2026, 3, 2, 8)
    due = start + timedelta(hours=1)
    make_ticket(created_at=start, priority=Priority.URGENT, first_response_due=due,
                first_response_at=start + timedelta(minutes=30))  # met
    make_ticket(created_at=start, priority=Priority.URGENT, first_response_due=due,
                first_response_at=start + timedelta(hours=3))  # late
    make_ticket(created_at=start, priority=Priority.URGENT, first_response_due=due)  # past due, none
    make_ticket(created_at=start, priority=Priority.URGENT,
                first_response_due=timezone.now() + timedelta(hours=1))  # still in time: not counted
    make_ticket(created_at=start, priority=Priority.LOW, resolution_due=due,
                resolved_at=start + timedelta(minutes=50), status=Status.RESOLVED)
    report = selectors.sla_attainment(MARCH)
    p1 = report.rows[0]
    assert p1[:4] == ["P1", 3, 1, 33.3]
    p4 = report.rows[3]
    assert p4[4:] == [1, 1, 100.0]
    assert report.series[0].values[0] == 33.3 and report.unit == "percent"


def test_backlog_counts_open_tickets_by_age_whatever_the_range() -> None:
    now = timezone.now()
    for age in [timedelta(hours=2), timedelta(days=2), timedelta(days=10), timedelta(days=40),
                timedelta(days=41)]:
        make_ticket(created_at=now - age, priority=Priority.HIGH)
    make_ticket(created_at=now - timedelta(days=3, hours=1), priority=Priority.URGENT,
                status=Status.WAITING_CUSTOMER)
    make_ticket(created_at=now - timedelta(days=2), status=Status.RESOLVED)
    make_ticket(created_at=now - timedelta(days=2), status=Status.CLOSED)
    report = selectors.backlog_by_age(MARCH)
    assert series(report, "P2") == [1, 1, 0, 1, 2]
    assert series(report, "P1") == [0, 0, 1, 0, 0]
    assert report.total == 6


def test_unlock_applications_by_outcome_and_time_to_decision() -> None:
    submitted = local(2026, 3, 1, 9)
    make_application(status=ApplicationStatus.UNLOCKED, submitted_at=submitted,
                     decided_at=submitted + timedelta(minutes=40))
    make_application(status=ApplicationStatus.REJECTED, submitted_at=submitted,
                     decided_at=submitted + timedelta(hours=30))
    make_application(status=ApplicationStatus.REJECTED, submitted_at=submitted,
                     decided_at=submitted + timedelta(hours=5))
    make_application(status=ApplicationStatus.APPROVED, submitted_at=submitted,
                     decided_at=local(2026, 3, 9))  # decided after the range
    outcomes = selectors.unlock_outcomes(MARCH)
    assert dict(zip(outcomes.labels, outcomes.series[0].values, strict=True)) == {
        str(ApplicationStatus.UNLOCKED.label): 1, str(ApplicationStatus.REJECTED.label): 2}
    times = selectors.unlock_decision_times(MARCH)
    assert times.series[0].values == [1, 0, 1, 1, 0]


def test_satisfaction_per_agent_queue_and_channel() -> None:
    ann, bob = make_agent(), make_agent()
    vip = Queue.objects.create(slug="vip-r", name="VIP R")
    day = local(2026, 3, 2, 15)
    answers = [(ann, 5, Channel.EMAIL, vip), (ann, 4, Channel.EMAIL, vip), (ann, 3, Channel.CHAT, None),
               (bob, 1, Channel.CHAT, None)]
    for agent, rating, channel, queue in answers:
        ticket = make_ticket(created_at=day, channel=channel, queue=queue, assignee=agent)
        make_answer(ticket=ticket, rating=rating, answered_at=day, agent=agent)
    make_answer(ticket=make_ticket(created_at=day), rating=None, answered_at=day)  # asked, no answer
    ratings = selectors.csat_ratings(MARCH)
    assert ratings.series[0].values == [1, 0, 1, 1, 1]
    assert ratings.extra == {"average": 3.25, "satisfied": 50.0, "asked": 5, "answered": 4,
                             "response_rate": 80.0}
    by_agent = selectors.csat_by_agent(MARCH)
    assert by_agent.rows == [[ann.public_name, 3, 4.0, 66.7], [bob.public_name, 1, 1.0, 0.0]]
    by_queue = {row[0]: row[1:] for row in selectors.csat_by_queue(MARCH).rows}
    assert by_queue["VIP R"] == [2, 4.5, 100.0] and len(by_queue) == 2
    by_channel = {row[0]: row[1:] for row in selectors.csat_by_channel(MARCH).rows}
    assert by_channel[str(Channel.CHAT.label)] == [2, 2.0, 0.0]  # 3 is not "satisfied"
    assert by_channel[str(Channel.EMAIL.label)] == [2, 4.5, 100.0]
    only_vip = selectors.csat_ratings(ReportFilters(MARCH.start, MARCH.end, queue_id=vip.pk))
    assert only_vip.extra["average"] == 4.5


def test_agents_cannot_read_reports_supervisors_and_admins_can() -> None:
    with pytest.raises(ReportAccessDenied):
        selectors.floor_reports(make_agent(role=Role.AGENT), MARCH)
    with pytest.raises(ReportAccessDenied):
        selectors.floor_report(make_agent(role=Role.REVIEWER), "csat", MARCH)
    assert len(selectors.floor_reports(make_agent(role=Role.SUPERVISOR), MARCH)) == len(selectors.REPORTS)
    assert selectors.floor_report(make_agent(role=Role.ADMIN), "sla", MARCH).key == "sla"


def test_csv_has_a_header_row_and_no_cell_a_spreadsheet_would_run() -> None:
    agent = make_agent()
    agent.display_name = "=HYPERLINK(\"http://evil\")"
    agent.save()
    ticket = make_ticket(created_at=local(2026, 3, 2), assignee=agent)
    make_answer(ticket=ticket, rating=5, answered_at=local(2026, 3, 2), agent=agent)
    text = report_csv(selectors.csat_by_agent(MARCH))
    assert text.startswith("\ufeff")
    lines = text.lstrip("\ufeff").splitlines()
    assert len(lines) == 2 and lines[1].startswith("\"'=HYPERLINK")
