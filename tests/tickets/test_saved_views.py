"""Saved views: personal and shared, counted cheaply within the agent's permissions, and the
named conditions ("SLA breaching within 1 h", "unlock waiting for a second reviewer")."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import make_agent, receive_one
from unlockdesk.safety.models import AuditEntry
from unlockdesk.staff.models import Agent, Role
from unlockdesk.tickets import saved_views, selectors
from unlockdesk.tickets.exceptions import TicketAccessDenied
from unlockdesk.tickets.inbox_query import filters_from_query
from unlockdesk.tickets.models import Queue, Ticket
from unlockdesk.tickets.services import assign, move_to_queue, set_priority
from unlockdesk.tickets.services.saved_views import ViewRefused, delete_view, save_view
from unlockdesk.unlock.models import ReviewDecision, UnlockApplication
from unlockdesk.unlock.types import ApplicationStatus, DecisionKind

pytestmark = pytest.mark.django_db


def _ticket(sender: str) -> Ticket:
    return Ticket.objects.get(pk=receive_one(text="提现一直没有到账", sender=sender).ticket_id)


def test_my_open_p1_counts_only_mine(agent: Agent) -> None:
    mine, other = _ticket("a@example.com"), _ticket("b@example.com")
    for ticket in (mine, other):
        set_priority(ticket, 1, by=None)
    assign(mine, agent, by=agent)
    save_view(by=agent, name="我的未结 P1", params={"mine": "1", "priority": "1", "page": "ignored"})
    [view] = saved_views.views_with_counts(agent)
    assert (view.name, view.query, view.count, view.shared) == ("我的未结 P1", "priority=1&mine=1", 1, False)


def test_shared_views_need_a_supervisor_and_are_seen_by_all(agent: Agent, supervisor: Agent) -> None:
    with pytest.raises(TicketAccessDenied):
        save_view(by=agent, name="everyone", params={"priority": "1"}, shared=True)
    shared = save_view(by=supervisor, name="P1", params={"priority": "1"}, shared=True)
    save_view(by=make_agent(), name="private", params={"priority": "2"})
    assert [v.name for v in saved_views.views_with_counts(agent)] == ["P1"]
    with pytest.raises(TicketAccessDenied):
        delete_view(by=agent, view_id=shared.pk)
    assert AuditEntry.objects.filter(action="view.save", target=f"view:{shared.pk}").exists()


def test_a_name_is_needed_and_unique_per_owner(agent: Agent) -> None:
    with pytest.raises(ViewRefused):
        save_view(by=agent, name="  ", params={})
    save_view(by=agent, name="mine", params={})
    with pytest.raises(ViewRefused):
        save_view(by=agent, name="mine", params={"priority": "2"})


def test_counts_stay_within_the_agents_queues() -> None:
    agent = make_agent()
    mine = Queue.objects.create(slug="q-mine", name="Mine")
    other = Queue.objects.create(slug="q-x", name="X")
    mine.agents.add(agent)
    move_to_queue(_ticket("a@example.com"), mine, by=None)
    move_to_queue(_ticket("b@example.com"), other, by=None)
    save_view(by=agent, name="all open", params={})
    assert saved_views.views_with_counts(agent)[0].count == 1


def test_counts_are_bounded(agent: Agent, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(selectors, "COUNT_LIMIT", 2)
    for i in range(3):
        _ticket(f"n{i}@example.com")
    save_view(by=agent, name="all", params={})
    view = saved_views.views_with_counts(agent)[0]
    assert (view.count, view.capped) == (2, True)


def test_sla_breaching_within_the_hour(agent: Agent) -> None:
    soon, later, paused = _ticket("s@example.com"), _ticket("l@example.com"), _ticket("p@example.com")
    now = timezone.now()
    Ticket.objects.filter(pk__in=[soon.pk, paused.pk]).update(first_response_due=now + timedelta(minutes=30))
    Ticket.objects.filter(pk=later.pk).update(first_response_due=now + timedelta(hours=5),
                                              resolution_due=now + timedelta(hours=20))
    Ticket.objects.filter(pk=paused.pk).update(status="waiting_customer")
    found = selectors.filtered_tickets(agent, filters_from_query("when=sla_1h"))
    assert list(found.values_list("number", flat=True)) == [soon.number]


def test_an_unknown_condition_matches_nothing(agent: Agent) -> None:
    _ticket("x@example.com")
    assert not selectors.filtered_tickets(agent, filters_from_query("when=nonsense")).exists()


def test_unlock_waiting_for_a_second_reviewer(agent: Agent) -> None:
    waiting, single = _ticket("w@example.com"), _ticket("o@example.com")
    reviewer = make_agent(role=Role.REVIEWER)
    for ticket, approvals in ((waiting, 1), (single, 0)):
        app = UnlockApplication.objects.create(ticket=ticket, contact=ticket.contact,
                                               status=ApplicationStatus.IN_REVIEW)
        for _ in range(approvals):
            ReviewDecision.objects.create(application=app, reviewer=reviewer, kind=DecisionKind.APPROVE,
                                          round=app.review_round)
    found = selectors.filtered_tickets(agent, filters_from_query("when=second_reviewer"))
    assert list(found.values_list("number", flat=True)) == [waiting.number]
