"""Manual assignment: agents take tickets they can see; only supervisors reassign and
unassign; every change on the timeline in words and in the audit log."""

import pytest
from django.utils import translation

from tests.factories import make_agent, receive_one
from unlockdesk.safety.models import AuditEntry
from unlockdesk.staff.models import Agent, Role
from unlockdesk.tickets.exceptions import TicketAccessDenied
from unlockdesk.tickets.models import EventKind, Queue, Ticket
from unlockdesk.tickets.services.assignment import AssignmentRefused, reassign, take, unassign

pytestmark = pytest.mark.django_db


def a_ticket() -> Ticket:
    return Ticket.objects.get(number=receive_one().ticket_number)


def test_an_agent_takes_a_ticket_and_it_is_on_the_timeline_and_audited(agent: Agent) -> None:
    ticket = take(a_ticket(), by=agent)
    assert ticket.assignee == agent
    event = ticket.events.get(kind=EventKind.ASSIGNED)
    assert event.new_label == agent.public_name and event.actor == f"agent:{agent.agent_number}"
    assert AuditEntry.objects.filter(action="ticket.assign", target=f"ticket:{ticket.number}").exists()


def test_an_agent_cannot_take_a_ticket_outside_their_queues(agent: Agent) -> None:
    ticket = a_ticket()
    Queue.objects.create(slug="other", name="Other").agents.add(agent)
    with pytest.raises(TicketAccessDenied):
        take(ticket, by=agent)
    assert Ticket.objects.get(pk=ticket.pk).assignee is None


def test_an_agent_cannot_reassign_or_unassign(agent: Agent) -> None:
    other = make_agent()
    ticket = take(a_ticket(), by=other)
    with pytest.raises(TicketAccessDenied):
        reassign(ticket, agent, by=agent)
    with pytest.raises(TicketAccessDenied):
        unassign(ticket, by=agent)
    assert Ticket.objects.get(pk=ticket.pk).assignee == other


def test_a_supervisor_reassigns_and_unassigns(agent: Agent, supervisor: Agent) -> None:
    first = make_agent()
    ticket = reassign(a_ticket(), first, by=supervisor)
    ticket = reassign(ticket, agent, by=supervisor)
    assert ticket.assignee == agent
    moved = ticket.events.filter(kind=EventKind.ASSIGNED).last()
    assert moved is not None and moved.data["old"] == first.public_name
    assert moved.new_label == agent.public_name
    ticket = unassign(ticket, by=supervisor)
    assert ticket.assignee is None
    dropped = ticket.events.get(kind=EventKind.UNASSIGNED)
    with translation.override("en"):
        assert dropped.get_kind_display() == "Unassigned"
    assert dropped.data["old"] == agent.public_name
    actions = list(AuditEntry.objects.filter(target=f"ticket:{ticket.number}").order_by("pk")
                   .values_list("action", flat=True))
    assert actions == ["ticket.assign", "ticket.assign", "ticket.unassign"]


def test_a_supervisor_cannot_give_a_ticket_to_an_agent_of_another_queue(supervisor: Agent) -> None:
    ticket = a_ticket()
    outsider = make_agent()
    Queue.objects.create(slug="other", name="Other").agents.add(outsider)
    with pytest.raises(AssignmentRefused):
        reassign(ticket, outsider, by=supervisor)
    assert Ticket.objects.get(pk=ticket.pk).assignee is None
    assert not ticket.events.filter(kind=EventKind.ASSIGNED).exists()


def test_a_supervisor_cannot_give_a_ticket_to_an_inactive_agent(supervisor: Agent) -> None:
    gone = make_agent(role=Role.AGENT)
    gone.is_active = False
    gone.save()
    with pytest.raises(AssignmentRefused):
        reassign(a_ticket(), gone, by=supervisor)
