"""Automatic assignment: round-robin among online agents with the skills and free capacity;
tickets wait in their queue when nobody can take them and are picked up later."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone, translation

from tests.factories import make_agent, receive_one
from tests.tickets.routing_helpers import go_online, routed_queues
from unlockdesk.staff import presence
from unlockdesk.staff.models import ConsoleSocket, Presence, RoutingProfile
from unlockdesk.tickets.models import EventKind, Queue, QueueRouting, Status, Ticket
from unlockdesk.tickets.services import change_status
from unlockdesk.tickets.services.assignment import assign_waiting

pytestmark = pytest.mark.django_db


def arrive(n: int = 1, text: str = "请帮忙看看", subject: str = "问题", **kwargs: Any) -> list[Ticket]:
    stamp = timezone.now().timestamp()
    numbers = [receive_one(text=text, subject=subject, sender=f"c{i}-{stamp}@example.com",
                           **kwargs).ticket_number for i in range(n)]
    return [Ticket.objects.select_related("assignee").get(number=n) for n in numbers]


def test_new_tickets_go_round_robin_to_the_online_agents() -> None:
    routed_queues()
    lin, mei = make_agent(), make_agent()
    go_online(lin)
    go_online(mei)
    tickets = arrive(4)
    assignees = [t.assignee for t in tickets]
    assert set(assignees) == {lin, mei}
    assert assignees[0] != assignees[1] and assignees[0] == assignees[2] and assignees[1] == assignees[3]
    assert all(t.status == Status.OPEN for t in tickets)
    event = tickets[0].events.get(kind=EventKind.ASSIGNED)
    with translation.override("en"):
        assert event.actor_label == "Automatic assignment" and event.new_label == assignees[0].public_name


def test_away_and_offline_agents_get_nothing() -> None:
    routed_queues()
    away, offline = make_agent(), make_agent()
    go_online(away)
    presence.choose(away, Presence.AWAY)
    RoutingProfile.objects.create(agent=offline, languages=["zh-hans"])
    (ticket,) = arrive()
    assert ticket.assignee is None and ticket.status == Status.NEW


def test_an_agent_without_the_language_skill_is_passed_over() -> None:
    routed_queues()
    chinese_only, english = make_agent(), make_agent()
    go_online(chinese_only, languages=("zh-hans",))
    go_online(english, languages=("en",))
    tickets = arrive(2, text="Please help me with a question", subject="A question")
    assert {t.assignee for t in tickets} == {english}


def test_a_queue_routing_on_category_needs_that_skill() -> None:
    routed_queues(by_category=True)
    general, unlock = make_agent(), make_agent()
    go_online(general, categories=("other",))
    go_online(unlock, categories=("account_locked",))
    (ticket,) = arrive(text="我的账户被锁了，请帮忙解锁")
    assert ticket.assignee == unlock


def test_an_agent_who_does_not_work_the_queue_is_passed_over() -> None:
    security = routed_queues()[2]
    general = Queue.objects.get(slug="general")
    outsider, member = make_agent(), make_agent()
    security.agents.add(outsider)
    general.agents.add(member)
    go_online(outsider)
    go_online(member)
    assert {t.assignee for t in arrive(2)} == {member}


def test_a_queue_without_automatic_assignment_leaves_tickets_unassigned() -> None:
    routed_queues(auto_assign=False)
    go_online(make_agent())
    (ticket,) = arrive()
    assert ticket.assignee is None


def test_a_full_agent_is_passed_over_and_the_ticket_waits_for_a_free_place(
        django_capture_on_commit_callbacks: Any) -> None:
    routed_queues()
    agent = make_agent()
    go_online(agent, max_open=1)
    first, second = arrive(2)
    assert first.assignee == agent and second.assignee is None
    with django_capture_on_commit_callbacks(execute=True):
        change_status(first, Status.RESOLVED, by=agent)
    second.refresh_from_db()
    assert second.assignee == agent


def test_chats_count_against_the_chat_capacity_not_the_ticket_one() -> None:
    routed_queues()
    agent = make_agent()
    go_online(agent, max_open=1, max_chats=1)
    (mail,) = arrive()
    chats = arrive(2, channel="chat")
    assert mail.assignee == agent
    assert [c.assignee for c in chats] == [agent, None]


def test_a_waiting_ticket_goes_to_the_agent_who_comes_online(
        django_capture_on_commit_callbacks: Any) -> None:
    routed_queues()
    (ticket,) = arrive()
    assert ticket.assignee is None
    agent = make_agent()
    RoutingProfile.objects.create(agent=agent, languages=["zh-hans"])
    with django_capture_on_commit_callbacks(execute=True):
        presence.socket_opened(agent, "test.socket")
    ticket.refresh_from_db()
    assert ticket.assignee == agent


def test_the_most_urgent_waiting_ticket_is_assigned_first() -> None:
    routed_queues()
    (normal,) = arrive()
    (urgent,) = arrive(text="我的账户被盗了")
    agent = make_agent()
    go_online(agent, max_open=1)
    assert assign_waiting() == 1
    assert Ticket.objects.get(pk=urgent.pk).assignee == agent
    assert Ticket.objects.get(pk=normal.pk).assignee is None


def test_the_last_console_closing_makes_the_agent_offline_and_a_new_one_restores_the_choice() -> None:
    agent = make_agent()
    one, two = go_online(agent), go_online(agent)
    presence.choose(agent, Presence.AWAY)
    presence.socket_closed(one)
    assert RoutingProfile.objects.get(agent=agent).presence == Presence.AWAY
    presence.socket_closed(two)
    assert RoutingProfile.objects.get(agent=agent).presence == Presence.OFFLINE
    presence.socket_opened(agent, "again")
    assert RoutingProfile.objects.get(agent=agent).presence == Presence.AWAY


def test_a_console_that_stops_beating_is_swept_and_its_agent_gets_no_more_tickets() -> None:
    routed_queues()
    agent = make_agent()
    go_online(agent)
    ConsoleSocket.objects.update(last_beat_at=timezone.now() - timedelta(minutes=5))
    RoutingProfile.objects.update(last_seen_at=timezone.now() - timedelta(minutes=5))
    (ticket,) = arrive()
    assert ticket.assignee is None  # silent: not offered, even before the sweep
    assert presence.sweep_silent_sockets() == 1
    assert RoutingProfile.objects.get(agent=agent).presence == Presence.OFFLINE
    assert not ConsoleSocket.objects.exists()


def test_a_queue_without_routing_rule_never_assigns() -> None:
    go_online(make_agent())
    (ticket,) = arrive()
    assert not QueueRouting.objects.exists() and ticket.assignee is None


def test_a_queue_switched_to_automatic_later_gets_its_waiting_tickets_by_the_sweep() -> None:
    """New tickets in a queue that does not assign skip the assignment step; the sweep that
    runs every minute picks them up once the rule is switched on."""
    routed_queues(auto_assign=False)
    agent = make_agent()
    go_online(agent)
    (ticket,) = arrive()
    assert ticket.assignee is None
    QueueRouting.objects.update(auto_assign=True)
    assert assign_waiting() == 1
    ticket.refresh_from_db()
    assert ticket.assignee == agent
