"""Prepared statements give exactly what the ORM gives, compile once per connection and keep
the ORM's transaction rules."""

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.db import IntegrityError, connection, connections, transaction
from django.db.models import F, Model, signals
from django.db.models.functions import Now
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import make_agent, receive_one
from unlockdesk.prepared import PreparedInsert, PreparedListRead, PreparedRead, PreparedUpdate
from unlockdesk.tickets.models import ContactIdentity, EventKind, Message, Ticket, TicketEvent

pytestmark = pytest.mark.django_db(transaction=True)

_BY_NUMBER = PreparedRead(lambda number: Ticket.objects.filter(number=number).order_by()[:1], str)
_LOCKED = PreparedRead(
    lambda number: Ticket.objects.select_for_update().filter(number=number).order_by()[:1], str)
_IDENTITY = PreparedRead(lambda kind, value: ContactIdentity.objects.select_related("contact")
                         .filter(kind=kind, value=value).order_by()[:1], str, str)


def _values(obj: Model) -> dict[str, Any]:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_a_prepared_read_gives_the_models_the_orm_gives() -> None:
    first, second = receive_one(sender="a@example.com"), receive_one(sender="b@example.com")
    for receipt in (first, second):  # the second runs the statement compiled for the first
        (ticket,) = _BY_NUMBER(receipt.ticket_number)
        assert _values(ticket) == _values(Ticket.objects.get(number=receipt.ticket_number))
        assert ticket.created_at.tzinfo is not None and isinstance(ticket.flags, list)
        assert not ticket._state.adding and ticket._state.db == "default"
    assert _BY_NUMBER("UD-NOSUCH") == []


def test_a_prepared_read_compiles_once_and_fills_select_related() -> None:
    receive_one(sender="a@example.com")
    receive_one(sender="b@example.com")
    _IDENTITY("email", "a@example.com")
    with CaptureQueriesContext(connection) as statements:
        (identity,) = _IDENTITY("email", "b@example.com")
        assert identity.contact.identities.get().value == "b@example.com"  # one more read
    assert len(statements) == 2
    assert identity.contact == ContactIdentity.objects.get(value="b@example.com").contact


def test_arguments_are_checked() -> None:
    with pytest.raises(TypeError):
        _BY_NUMBER(12)
    with pytest.raises(TypeError):
        _IDENTITY("email")
    with pytest.raises(TypeError):
        PreparedRead(lambda when: Ticket.objects.filter(created_at__gte=when), float)


def test_an_argument_the_orm_rewrites_cannot_be_prepared() -> None:
    """`contains` wraps the value in wildcards: reusing the SQL would search for something else."""
    with pytest.raises(ValueError, match="unchanged"):
        PreparedRead(lambda text: Ticket.objects.filter(subject__contains=text), str)("locked")
    with pytest.raises(ValueError, match="plain read"):
        PreparedRead(lambda number: Ticket.objects.filter(number=number).values("pk"), str)("x")


def test_a_read_of_a_list_gives_what_the_orm_gives_for_every_length() -> None:
    receipts = [receive_one(sender=f"list{n}@example.com") for n in range(3)]
    ids = [r.message_id for r in receipts]
    external = list(Message.objects.filter(pk__in=ids).order_by("pk").values_list("external_id", flat=True))
    read = PreparedListRead(lambda channel, values: Message.objects.filter(
        channel=channel, external_id__in=values).select_related("ticket").order_by("pk"), str, most=2)
    for values in (external[:1], external[:2], [external[0], external[0]], ["nobody@example.com"]):
        found = read("email", values=values)
        orm = list(Message.objects.filter(channel="email", external_id__in=values).order_by("pk"))
        assert [m.pk for m in found] == [m.pk for m in orm]
        assert [m.ticket.number for m in found] == [m.ticket.number for m in orm]
    with CaptureQueriesContext(connection) as queries:
        assert read("email", values=[]) == []
    assert not queries
    assert [m.pk for m in read("email", values=external)] == ids  # beyond `most`: the ORM's
    assert sorted(read._reads) == [1, 2]  # one compiled read per length, none for three


def test_a_locked_read_locks_where_the_database_can_and_needs_a_transaction() -> None:
    number = receive_one().ticket_number
    with transaction.atomic(), CaptureQueriesContext(connection) as statements:
        (ticket,) = _LOCKED(number)
    assert ticket.number == number
    assert ("FOR UPDATE" in statements[-1]["sql"]) == connection.features.has_select_for_update
    if connection.features.has_select_for_update:
        with pytest.raises(TransactionManagementError):
            _LOCKED(number)


def test_a_prepared_insert_stores_what_create_stores() -> None:
    ticket = Ticket.objects.get(number=receive_one().ticket_number)
    insert = PreparedInsert(TicketEvent)
    made = [insert(ticket=ticket, kind=EventKind.FLAG, actor="agent:1", data={"n": n, "词": "解锁"})
            for n in range(2)]
    for n, event in enumerate(made):
        assert event.pk and not event._state.adding and event._state.db == "default"
        stored = TicketEvent.objects.get(pk=event.pk)
        assert _values(stored) == _values(event)
        assert stored.data == {"n": n, "词": "解锁"} and stored.created_at is not None
    orm = TicketEvent.objects.create(ticket=ticket, kind=EventKind.FLAG, actor="agent:1", data={})
    assert orm.pk > made[-1].pk
    at_commit = insert(ticket=ticket, kind=EventKind.FLAG, actor="x", data={}, created_at=Now())
    assert TicketEvent.objects.get(pk=at_commit.pk).created_at is not None  # the ORM's insert


def test_several_rows_go_in_one_statement_with_their_keys_in_order() -> None:
    ticket = Ticket.objects.get(number=receive_one().ticket_number)
    insert = PreparedInsert(TicketEvent)
    rows = [{"ticket": ticket, "kind": EventKind.FLAG, "actor": f"agent:{n}", "data": {"n": n}}
            for n in range(3)]
    with CaptureQueriesContext(connection) as queries:
        made = insert.many(rows)
    assert len([q for q in queries if q["sql"].startswith("INSERT")]) == 1
    assert [e.actor for e in made] == ["agent:0", "agent:1", "agent:2"]
    for n, event in enumerate(made):
        stored = TicketEvent.objects.get(pk=event.pk)
        assert _values(stored) == _values(event) and stored.data == {"n": n}
    assert made[0].pk < made[1].pk < made[2].pk
    assert insert.many([]) == []


def test_models_built_beforehand_go_in_one_statement_as_bulk_create_would() -> None:
    ticket = Ticket.objects.get(number=receive_one().ticket_number)
    objs = [TicketEvent(ticket=ticket, kind=EventKind.FLAG, actor=f"agent:{n}", data={"n": n})
            for n in range(2)]
    with CaptureQueriesContext(connection) as queries:
        made = PreparedInsert(TicketEvent).insert(objs)
    assert made is objs and [q["sql"].split()[0] for q in queries] == ["INSERT"]
    for n, event in enumerate(made):
        assert event.pk and not event._state.adding
        stored = TicketEvent.objects.get(pk=event.pk)
        assert _values(stored) == _values(event) and stored.data == {"n": n}
    assert PreparedInsert(TicketEvent).insert([]) == []


def test_gathered_events_are_written_together_as_the_block_ends() -> None:
    from unlockdesk.tickets.events import gathered, record_event

    ticket = Ticket.objects.get(number=receive_one().ticket_number)
    before = TicketEvent.objects.count()
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        with gathered():
            with gathered():  # nested: the outer block writes
                assert record_event(ticket, EventKind.FLAG, actor="system", n=1) is None
            record_event(ticket, EventKind.FLAG, actor="system", n=2)
            assert TicketEvent.objects.count() == before  # not written yet
        assert TicketEvent.objects.count() == before + 2
    assert len([q for q in queries if q["sql"].startswith("INSERT")]) == 1
    with pytest.raises(RuntimeError), transaction.atomic(), gathered():
        record_event(ticket, EventKind.FLAG, actor="system", n=3)
        raise RuntimeError("the write failed")
    assert TicketEvent.objects.count() == before + 2
    assert record_event(ticket, EventKind.FLAG, actor="system", n=4) is not None  # outside: at once


def test_a_failed_insert_spoils_the_transaction_as_the_orms_would() -> None:
    number = receive_one().ticket_number
    original = Ticket.objects.get(number=number)
    insert = PreparedInsert(Ticket)
    with transaction.atomic():
        with pytest.raises(IntegrityError):
            insert(**{**_values(original), "id": None})  # the number is unique
        assert connection.needs_rollback


def test_a_model_with_save_listeners_is_saved_by_the_orm() -> None:
    ticket = Ticket.objects.get(number=receive_one().ticket_number)
    heard: list[int] = []

    def listener(sender: type, instance: TicketEvent, created: bool, **kwargs: Any) -> None:
        heard.append(instance.pk)

    signals.post_save.connect(listener, sender=TicketEvent)
    try:
        event = PreparedInsert(TicketEvent)(ticket=ticket, kind=EventKind.FLAG, actor="x", data={})
    finally:
        signals.post_save.disconnect(listener, sender=TicketEvent)
    assert heard == [event.pk]


def test_a_prepared_update_writes_what_update_writes() -> None:
    first, second = (Ticket.objects.get(number=receive_one(sender=s).ticket_number)
                     for s in ("a@example.com", "b@example.com"))
    agent, now = make_agent(), timezone.now()
    update = PreparedUpdate(Ticket)
    changes = {"last_seq": 7, "flags": ["lookalike_link", "词"], "resolved_at": now, "assignee": agent}
    assert update(first.pk, **changes) == 1
    Ticket.objects.filter(pk=second.pk).update(**changes)  # the ORM's, to compare
    first.refresh_from_db()
    second.refresh_from_db()
    assert {k: getattr(first, k) for k in changes} == {k: getattr(second, k) for k in changes}
    assert first.resolved_at == now and first.assignee == agent
    assert update(first.pk, last_seq=8, flags=[], resolved_at=None, assignee=None) == 1
    first.refresh_from_db()
    assert (first.last_seq, first.flags, first.resolved_at, first.assignee) == (8, [], None, None)
    assert update(first.pk, last_seq=F("last_seq") + 1) == 1  # an expression: the ORM's update
    assert Ticket.objects.get(pk=first.pk).last_seq == 9
    assert update(10**9, last_seq=1) == 0


def test_an_update_that_clears_a_field_is_compiled_not_left_to_the_orm() -> None:
    """A new ticket's first write clears its next-response due time: Django writes `= NULL`
    into the SQL, one parameter fewer, which the update is compiled for, per set of fields
    cleared, rather than falling back to the ORM's compile on every call."""
    ticket = Ticket.objects.get(number=receive_one().ticket_number)
    update, now = PreparedUpdate(Ticket), timezone.now()
    assert update(ticket.pk, last_seq=F("last_seq") + 1) == 1  # an expression first: not kept
    for seq, due in ((5, None), (6, now), (7, None)):
        assert update(ticket.pk, last_seq=seq, next_response_due=due) == 1
        ticket.refresh_from_db()
        assert (ticket.last_seq, ticket.next_response_due) == (seq, due)
    compiled = update._compiled[connections["default"]]  # what was compiled is the point
    assert set(compiled) == {(("last_seq", False), ("next_response_due", True), ""),
                             (("last_seq", False), ("next_response_due", False), "")}
    assert None not in compiled.values()


def test_an_update_can_carry_an_assignment_of_sql_in_the_same_statement() -> None:
    """PostgreSQL's search document is computed by the database: it rides in the ticket row's
    one UPDATE (with_sql), and with an expression among the values it is a statement of its own."""
    ticket = Ticket.objects.get(number=receive_one().ticket_number)
    update = PreparedUpdate(Ticket)
    with CaptureQueriesContext(connection) as queries:
        assert update.with_sql(ticket.pk, ("subject = upper(%s)", ["still locked"]), last_seq=3) == 1
    assert [q["sql"].split()[0] for q in queries] == ["UPDATE"]
    ticket.refresh_from_db()
    assert (ticket.subject, ticket.last_seq) == ("STILL LOCKED", 3)
    with CaptureQueriesContext(connection) as queries:
        assert update.with_sql(ticket.pk, ("subject = lower(%s)", ["AGAIN"]), last_seq=F("last_seq") + 1) == 1
    assert len(queries) == 2
    ticket.refresh_from_db()
    assert (ticket.subject, ticket.last_seq) == ("again", 4)
    assert update.with_sql(10**9, ("subject = %s", ["x"]), last_seq=1) == 0


def test_integer_arguments_reach_the_sql_of_small_columns() -> None:
    receipt = receive_one()
    by_seq = PreparedRead(lambda ticket, seq: Message.objects.filter(ticket_id=ticket, seq=seq), int, int)
    (message,) = by_seq(receipt.ticket_id, receipt.seq)
    assert message.pk == receipt.message_id
    assert by_seq(receipt.ticket_id, receipt.seq + 100) == []
    if connection.vendor == "postgresql":  # a placeholder does not fit a smallint there
        with pytest.raises(ValueError, match="range"):
            PreparedRead(lambda n: Message.objects.filter(delivery_attempts=n), int)(1)


def test_a_datetime_argument_is_adapted_as_the_orm_adapts_it() -> None:
    """A moment reaches the SQL as the connection stores a DateTimeField (text on SQLite)."""
    older = Ticket.objects.get(pk=receive_one(sender="ada@example.com").ticket_id)
    newer = Ticket.objects.get(pk=receive_one(sender="ada@example.com", subject="Another case").ticket_id)
    contact = newer.contact
    assert older.contact_id == contact.pk and older.pk != newer.pk
    moment = timezone.now()
    Ticket.objects.filter(pk=older.pk).update(created_at=moment - timedelta(hours=2))
    since = PreparedRead(lambda contact_id, when: Ticket.objects.filter(
        contact_id=contact_id, created_at__gte=when).order_by("pk"), int, datetime)
    for when in (moment - timedelta(hours=1), moment - timedelta(hours=3), moment + timedelta(hours=1)):
        orm = list(Ticket.objects.filter(contact_id=contact.pk, created_at__gte=when).order_by("pk"))
        assert since(contact.pk, when) == orm
    assert since(contact.pk, moment - timedelta(hours=1)) == [newer]
    with pytest.raises(TypeError, match="aware"):
        since(contact.pk, datetime(2026, 1, 1))  # naive on purpose
