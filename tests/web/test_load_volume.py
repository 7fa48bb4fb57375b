"""`unlockdesk load-volume`: synthetic volume, never mixed into a real desk by accident."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from tests.factories import receive_one
from unlockdesk.accounts.models import Transaction
from unlockdesk.staff.models import Agent
from unlockdesk.tickets.models import ContactIdentity, Message, SlaTarget, SlaTargetKind, Status, Ticket
from unlockdesk.tickets.search import search_tickets
from unlockdesk.tickets.selectors import InboxFilters
from unlockdesk.tickets.sla_words import timer_of
from unlockdesk.tickets.types import Channel

pytestmark = pytest.mark.django_db


def test_refuses_a_database_with_real_tickets() -> None:
    receive_one(text="a real customer", sender="real@example.com")
    with pytest.raises(CommandError, match="did not make"):
        call_command("load-volume", tickets=20, messages_per_ticket=2, yes=True)
    assert Ticket.objects.count() == 1


def test_asks_for_yes_before_writing() -> None:
    with pytest.raises(CommandError, match="--yes"):
        call_command("load-volume", tickets=20)
    assert not Ticket.objects.exists()


def test_loads_searchable_tickets_on_every_channel_and_status(agent: Agent) -> None:
    call_command("load-volume", tickets=300, messages_per_ticket=4, accounts=40, yes=True)
    assert Ticket.objects.count() == 300
    assert Message.objects.count() == 1200
    assert {c for c in Ticket.objects.values_list("channel", flat=True).distinct()} == set(Channel.values)
    statuses = set(Ticket.objects.values_list("status", flat=True).distinct())
    assert {Status.CLOSED, Status.RESOLVED} <= statuses and statuses & {Status.NEW, Status.OPEN}
    assert set(Ticket.objects.values_list("language", flat=True).distinct()) == {"en", "zh-hans"}
    # Indexed as the pipeline indexes: findable by number, email and an account's transaction.
    ticket = Ticket.objects.exclude(account=None).order_by("id")[3]
    email = ContactIdentity.objects.get(contact_id=ticket.contact_id, kind="email").value
    tx_hash = Transaction.objects.filter(account_id=ticket.account_id).first().tx_hash  # type: ignore[union-attr]
    everything = InboxFilters(status="all")
    for query in (ticket.number, email, tx_hash):
        assert ticket.number in [h.ticket.number for h in search_tickets(agent, query, everything).hits]
    # A second run adds beside its own tickets without --force.
    call_command("load-volume", tickets=10, messages_per_ticket=1, yes=True)
    assert Ticket.objects.count() == 310


def test_open_tickets_carry_the_clocks_their_policy_sets() -> None:
    """Loaded tickets time the inbox's SLA timers and the escalation sweep as a real desk
    would: each running clock is a target row, and the ticket's due times are those rows'."""
    call_command("load-volume", tickets=400, messages_per_ticket=3, accounts=20, yes=True)
    now = timezone.now()
    open_tickets = Ticket.objects.filter(status__in=[Status.NEW, Status.OPEN, Status.WAITING_US,
                                                     Status.WAITING_CUSTOMER])
    assert open_tickets.exists()
    for ticket in open_tickets:
        running = {t.kind: t for t in SlaTarget.objects.filter(ticket=ticket, met_at=None)}
        resolution = running[SlaTargetKind.RESOLUTION]
        assert ticket.resolution_due == resolution.due_at
        assert resolution.due_at - resolution.started_at == timedelta(minutes=resolution.minutes)
        assert (ticket.first_response_due is not None) == (ticket.status == Status.NEW)
        assert (SlaTargetKind.NEXT_RESPONSE in running) == (ticket.status == Status.WAITING_US)
        assert (ticket.sla_paused_at is not None) == (ticket.status == Status.WAITING_CUSTOMER)
        for target in running.values():
            assert (target.breached_at is not None) == (target.due_at <= (ticket.sla_paused_at or now))
            if target.breached_at is not None:
                assert ticket.sla_breached
        assert timer_of(ticket, now) is not None
    assert not SlaTarget.objects.exclude(ticket__status__in=[s for s in Status.values
                                                             if s not in ("resolved", "closed")]).exists()
    # Escalation looks again at every clock still running, never at a paused or breached one.
    for target in SlaTarget.objects.select_related("ticket"):
        waiting = target.ticket.status == Status.WAITING_CUSTOMER
        assert (target.next_check_at is None) == (waiting or target.breached_at is not None)
