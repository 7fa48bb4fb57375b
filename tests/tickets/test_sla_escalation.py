"""SLA clocks and escalation with a frozen clock: business-hours due times, the warning at 80 %,
the breach (supervisor notified, ticket raised or moved), each once; pause and resume."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, time
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import inbound, make_agent
from tests.listening import first_frame
from unlockdesk.safety.models import AuditEntry
from unlockdesk.staff.models import Role, StaffNotification
from unlockdesk.staff.notifications import staff_group
from unlockdesk.tickets.models import (
    BreachAction,
    BusinessCalendar,
    EventKind,
    Priority,
    Queue,
    SlaPolicy,
    SlaTarget,
    SlaTargetKind,
    Status,
    Ticket,
)
from unlockdesk.tickets.services import change_status, receive, reply, set_priority
from unlockdesk.tickets.services.escalation import escalate_due

pytestmark = pytest.mark.django_db
CST = ZoneInfo("Asia/Shanghai")


def cst(*args: int) -> datetime:
    return datetime(*args, tzinfo=CST)  # type: ignore[misc]


@contextmanager
def frozen(moment: datetime) -> Iterator[None]:
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


@pytest.fixture
def desk_hours() -> BusinessCalendar:
    calendar = BusinessCalendar.objects.create(name="desk", time_zone="Asia/Shanghai",
                                               working_days="12345", opens_at=time(9),
                                               closes_at=time(21))
    for priority in Priority:
        SlaPolicy.objects.create(priority=priority, calendar=calendar, first_response_minutes=60,
                                 next_response_minutes=30, resolution_minutes=600,
                                 warn_percent=80, breach_action=BreachAction.RAISE_PRIORITY)
    return calendar


def open_ticket_at(moment: datetime, **kwargs: Any) -> Ticket:
    with frozen(moment):
        receipt = receive(inbound(**kwargs))
    return Ticket.objects.get(pk=receipt.ticket_id)


def test_first_response_due_counts_only_business_hours(desk_hours: BusinessCalendar) -> None:
    ticket = open_ticket_at(cst(2026, 12, 4, 20, 30))  # Friday evening
    assert ticket.first_response_due == cst(2026, 12, 7, 9, 30)  # Monday
    assert ticket.resolution_due == cst(2026, 12, 7, 18, 30)  # 30 min Friday + 570 Monday


def test_queue_policy_wins_over_the_default(desk_hours: BusinessCalendar) -> None:
    security = Queue.objects.get_or_create(slug="security", defaults={"name": "Security"})[0]
    for priority in Priority:
        SlaPolicy.objects.create(priority=priority, queue=security, first_response_minutes=15,
                                 resolution_minutes=240)  # no calendar: around the clock
    ticket = open_ticket_at(cst(2026, 12, 5, 12), text="有人盗了我的账户，钓鱼网站骗了我的密码")
    assert ticket.queue == security
    assert ticket.first_response_due == cst(2026, 12, 5, 12, 15)  # Saturday: 24x7


def test_warning_at_eighty_percent_then_breach_each_once(
    desk_hours: BusinessCalendar, django_capture_on_commit_callbacks: Any
) -> None:
    supervisor = make_agent(role=Role.SUPERVISOR)
    ticket = open_ticket_at(cst(2026, 12, 7, 10), subject="hello", text="请问提币多久到账")
    priority = ticket.priority

    assert escalate_due(now=cst(2026, 12, 7, 10, 47)).warned == 0
    run = escalate_due(now=cst(2026, 12, 7, 10, 48))  # 48 of 60 minutes
    assert (run.warned, run.breached) == (1, 0)
    assert escalate_due(now=cst(2026, 12, 7, 10, 50)).warned == 0  # once only
    warning = StaffNotification.objects.get(recipient=supervisor)
    assert warning.kind == "sla_warning" and ticket.number in warning.title
    assert warning.url == f"/console/tickets/{ticket.number}/"
    assert ticket.events.filter(kind=EventKind.SLA_WARNING).count() == 1
    assert AuditEntry.objects.filter(action="sla.warning", target=f"ticket:{ticket.number}").count() == 1

    run = escalate_due(now=cst(2026, 12, 7, 11, 0))
    assert (run.warned, run.breached) == (0, 1)
    assert escalate_due(now=cst(2026, 12, 7, 11, 30)).breached == 0
    ticket.refresh_from_db()
    assert ticket.sla_breached
    assert ticket.priority == max(priority - 1, Priority.URGENT)
    breach = StaffNotification.objects.get(recipient=supervisor, kind="sla_breach")
    assert "SLA" in breach.title and ticket.number in breach.title
    assert ticket.events.filter(kind=EventKind.SLA, data__new="first_response").count() == 1
    assert AuditEntry.objects.filter(action="sla.breach", target=f"ticket:{ticket.number}").count() == 1


def test_breach_is_pushed_live_to_the_supervisors_group(
    desk_hours: BusinessCalendar, django_capture_on_commit_callbacks: Any
) -> None:
    supervisor = make_agent(role=Role.SUPERVISOR)
    ticket = open_ticket_at(cst(2026, 12, 7, 10), text="请问提币多久到账")

    def escalate() -> None:
        with django_capture_on_commit_callbacks(execute=True):
            escalate_due(now=cst(2026, 12, 7, 11, 1))

    frame = first_frame(staff_group(supervisor.pk), escalate)
    assert frame["type"] == "staff.notification" and frame["kind"] == "sla_breach"
    assert ticket.number in frame["title"] and frame["url"] == f"/console/tickets/{ticket.number}/"


def test_breach_moves_the_ticket_when_the_policy_says_so(desk_hours: BusinessCalendar) -> None:
    escalations = Queue.objects.create(slug="escalations", name="Escalations")
    SlaPolicy.objects.update(breach_action=BreachAction.MOVE_QUEUE, breach_queue=escalations)
    ticket = open_ticket_at(cst(2026, 12, 7, 10), text="请问提币多久到账")
    escalate_due(now=cst(2026, 12, 7, 11, 1))
    ticket.refresh_from_db()
    assert ticket.queue == escalations
    assert ticket.events.filter(kind=EventKind.QUEUE, actor="system").exists()


def test_a_reply_meets_the_first_response_and_pauses_the_clocks(desk_hours: BusinessCalendar) -> None:
    agent = make_agent()
    supervisor = make_agent(role=Role.SUPERVISOR)
    ticket = open_ticket_at(cst(2026, 12, 7, 10), text="请问提币多久到账")
    with frozen(cst(2026, 12, 7, 10, 30)):
        reply(ticket=ticket, agent=agent, text="您好，我们正在核实。", client_id="c-1")
    ticket.refresh_from_db()
    assert ticket.status == Status.WAITING_CUSTOMER
    assert ticket.sla_paused_at == cst(2026, 12, 7, 10, 30)
    # Nothing escalates while the customer has the ball, however long they take.
    assert escalate_due(now=cst(2026, 12, 20, 12)) == escalate_due(now=cst(2026, 12, 20, 12))
    assert not StaffNotification.objects.filter(recipient=supervisor).exists()
    assert not SlaTarget.objects.filter(ticket=ticket, kind=SlaTargetKind.FIRST_RESPONSE,
                                        met_at__isnull=True).exists()


def test_customer_follow_up_resumes_and_starts_the_next_response_clock(
    desk_hours: BusinessCalendar,
) -> None:
    agent = make_agent()
    ticket = open_ticket_at(cst(2026, 12, 7, 10), sender="follow@example.com",
                            text="请问提币多久到账")
    with frozen(cst(2026, 12, 7, 10, 30)):
        reply(ticket=ticket, agent=agent, text="您好，请提供提币记录。", client_id="c-2")
    with frozen(cst(2026, 12, 8, 10)):  # the customer answers on Tuesday morning
        receive(inbound(sender="follow@example.com", ticket_number=ticket.number,
                        text=f"这是记录 {ticket.number}"))
    ticket.refresh_from_db()
    assert ticket.status == Status.WAITING_US and ticket.sla_paused_at is None
    assert ticket.next_response_due == cst(2026, 12, 8, 10, 30)
    # 570 business minutes were left at the pause (due Monday 20:00), so from Tuesday 10:00.
    assert ticket.resolution_due == cst(2026, 12, 8, 19, 30)

    run = escalate_due(now=cst(2026, 12, 8, 10, 31))
    assert run.breached == 1
    assert ticket.events.filter(kind=EventKind.SLA, data__new="next_response").exists()


def test_a_customer_reopening_a_resolved_ticket_starts_a_new_resolution_clock(
    desk_hours: BusinessCalendar,
) -> None:
    """The follow-up path skips reading the clocks when the row shows they run; a reopening
    must not take that path (every clock was met at resolution)."""
    ticket = open_ticket_at(cst(2026, 12, 7, 10), sender="again@example.com", text="请问提币多久到账")
    with frozen(cst(2026, 12, 7, 10, 5)):
        change_status(ticket, Status.RESOLVED, by=None)
    with frozen(cst(2026, 12, 7, 11)):
        receive(inbound(sender="again@example.com", ticket_number=ticket.number,
                        text=f"还是没到账 {ticket.number}"))
    ticket.refresh_from_db()
    assert ticket.status == Status.WAITING_US
    running = SlaTarget.objects.get(ticket=ticket, kind=SlaTargetKind.RESOLUTION, met_at__isnull=True)
    assert running.started_at == cst(2026, 12, 7, 11)
    assert ticket.resolution_due == running.due_at
    with frozen(cst(2026, 12, 7, 11, 30)):  # and the next write, on the fast path, keeps it
        receive(inbound(sender="again@example.com", ticket_number=ticket.number,
                        text=f"在吗 {ticket.number}"))
    assert SlaTarget.objects.filter(ticket=ticket, met_at__isnull=True).get() == running


def test_resolving_stops_every_clock(desk_hours: BusinessCalendar) -> None:
    ticket = open_ticket_at(cst(2026, 12, 7, 10), text="请问提币多久到账")
    with frozen(cst(2026, 12, 7, 10, 5)):
        change_status(ticket, Status.RESOLVED, by=None)
    assert not SlaTarget.objects.filter(ticket=ticket, met_at__isnull=True).exists()
    assert escalate_due(now=cst(2026, 12, 9, 12)).breached == 0


def test_agent_setting_waiting_on_customer_pauses_and_reopening_resumes(
    desk_hours: BusinessCalendar,
) -> None:
    ticket = open_ticket_at(cst(2026, 12, 7, 10), text="请问提币多久到账")
    with frozen(cst(2026, 12, 7, 10, 20)):
        change_status(ticket, Status.WAITING_CUSTOMER, by=None)
    with frozen(cst(2026, 12, 7, 15, 20)):
        change_status(ticket, Status.OPEN, by=None)
    ticket.refresh_from_db()
    assert ticket.sla_paused_at is None
    assert ticket.first_response_due == cst(2026, 12, 7, 16)  # 40 minutes were left
    assert escalate_due(now=cst(2026, 12, 7, 15, 59)).breached == 0
    assert escalate_due(now=cst(2026, 12, 7, 16)).breached == 1


def test_escalation_reads_only_clocks_that_are_due(
    desk_hours: BusinessCalendar, django_assert_max_num_queries: Any
) -> None:
    for n in range(5):
        open_ticket_at(cst(2026, 12, 7, 10), sender=f"c{n}@example.com", text="请问提币多久到账")
    with django_assert_max_num_queries(1):
        assert escalate_due(now=cst(2026, 12, 7, 10, 1)).warned == 0


def test_raising_the_priority_takes_the_new_target_less_the_time_used(
    desk_hours: BusinessCalendar,
) -> None:
    SlaPolicy.objects.filter(priority=Priority.URGENT).update(first_response_minutes=15)
    ticket = open_ticket_at(cst(2026, 12, 7, 10), text="请问提币多久到账")
    assert ticket.priority != Priority.URGENT
    with frozen(cst(2026, 12, 7, 10, 10)):
        set_priority(ticket, Priority.URGENT, by=None)
    ticket.refresh_from_db()
    assert ticket.first_response_due == cst(2026, 12, 7, 10, 15)  # 15 minutes, 10 already used
    assert escalate_due(now=cst(2026, 12, 7, 10, 12)).warned == 1  # 80 % of 15 minutes
    assert escalate_due(now=cst(2026, 12, 7, 10, 15)).breached == 1


def test_a_second_follow_up_reads_no_policy_and_leaves_the_clocks_as_they_are(
    desk_hours: BusinessCalendar,
) -> None:
    """A busy chat's hot path: a customer writing again while the clocks already run."""
    ticket = open_ticket_at(cst(2026, 12, 7, 10), sender="again@example.com", text="提币没到账")
    due = (ticket.first_response_due, ticket.resolution_due, ticket.sla_warning_at)
    with frozen(cst(2026, 12, 7, 10, 5)), CaptureQueriesContext(connection) as queries:
        receive(inbound(sender="again@example.com", ticket_number=ticket.number, text="还在吗"))
    sqls = [q["sql"] for q in queries.captured_queries]
    assert not any('FROM "tickets_slapolicy"' in s for s in sqls)
    assert not any('UPDATE "tickets_ticket" SET "next_response_due"' in s for s in sqls)
    ticket.refresh_from_db()
    assert (ticket.first_response_due, ticket.resolution_due, ticket.sla_warning_at) == due
    assert ticket.next_response_due is None
    assert SlaTarget.objects.filter(ticket=ticket, met_at__isnull=True).count() == 2
