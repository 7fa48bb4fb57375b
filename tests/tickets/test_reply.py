"""reply() and delivery: the outbound half of the pipeline."""

import pytest
from django.core import mail

from tests.factories import make_account, make_agent, receive_one
from unlockdesk.staff.models import Role
from unlockdesk.tickets.exceptions import InvalidTransition, ReplyBlocked
from unlockdesk.tickets.models import Delivery, Direction, Message, Status, Ticket
from unlockdesk.tickets.services import change_status, deliver, reply
from unlockdesk.tickets.types import Channel, DeliveryResult, IdentityKind

pytestmark = pytest.mark.django_db


def _ticket(**kwargs: object) -> Ticket:
    return Ticket.objects.get(pk=receive_one(**kwargs).ticket_id)  # type: ignore[arg-type]


def test_email_reply_carries_number_agent_and_anti_phishing_code(
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    make_account(email="owner@example.com", anti_phishing_code="tiger42")
    ticket = _ticket(sender="owner@example.com", verified=True, external_id="<c1@example.com>")
    mail.outbox.clear()
    agent = make_agent(agent_number="A9001")
    with django_capture_on_commit_callbacks(execute=True):
        message = reply(ticket=ticket, agent=agent, text="我们正在核实您的账户。")
    message.refresh_from_db()
    assert message.delivery == Delivery.SENT
    sent = mail.outbox[-1]
    assert sent.to == ["owner@example.com"]
    assert ticket.number in sent.subject
    assert "A9001" in sent.body and "tiger42" in sent.body
    assert sent.extra_headers["In-Reply-To"] == "<c1@example.com>"
    assert sent.alternatives and sent.alternatives[0][1] == "text/html"


def test_email_to_customer_without_code_explains_the_anti_phishing_code(
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    ticket = _ticket(sender="x@example.com", text="hello, a question about deposits", subject="q")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reply(ticket=ticket, agent=make_agent(), text="Answer")
    assert "anti-phishing code" in mail.outbox[-1].body.lower() or "防钓鱼码" in mail.outbox[-1].body


def test_reply_waits_on_customer_records_first_response_and_assigns() -> None:
    ticket = _ticket()
    agent = make_agent()
    reply(ticket=ticket, agent=agent, text="Hello")
    ticket.refresh_from_db()
    assert ticket.status == Status.WAITING_CUSTOMER
    assert ticket.first_response_at is not None and ticket.assignee == agent


def test_double_submitted_reply_lands_once() -> None:
    ticket = _ticket()
    agent = make_agent()
    first = reply(ticket=ticket, agent=agent, text="Hello", client_id="abc")
    second = reply(ticket=ticket, agent=agent, text="Hello", client_id="abc")
    assert first.pk == second.pk
    assert ticket.messages.filter(author=agent).count() == 1


def test_internal_note_is_not_delivered() -> None:
    ticket = _ticket()
    mail.outbox.clear()
    note = reply(ticket=ticket, agent=make_agent(), text="looks genuine", internal=True)
    assert note.direction == Direction.NOTE and note.delivery == Delivery.NOT_APPLICABLE
    assert mail.outbox == []


def test_guard_blocks_and_only_supervisor_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    from unlockdesk.safety import services as safety
    from unlockdesk.safety.models import AuditEntry

    monkeypatch.setattr(safety, "guard_outbound",
                        lambda text: safety.GuardVerdict(False, "asks for a password"))
    ticket = _ticket()
    with pytest.raises(ReplyBlocked):
        reply(ticket=ticket, agent=make_agent(), text="tell me your password", override_guard=True)
    assert not Message.objects.filter(body_text="tell me your password").exists()
    reply(ticket=ticket, agent=make_agent(role=Role.SUPERVISOR), text="tell me your password",
          override_guard=True)
    assert AuditEntry.objects.filter(action="guard.override").exists()


def test_failed_delivery_is_retried_then_marked_failed(monkeypatch: pytest.MonkeyPatch) -> None:
    from unlockdesk.intake import phone
    from unlockdesk.tickets.services import outbound

    ticket = _ticket(channel=Channel.PHONE, kind=IdentityKind.PHONE, sender="+8613800138000",
                     subject="")
    monkeypatch.setattr(phone, "deliver", lambda message: DeliveryResult(False, error="gateway down"))
    message = Message.objects.filter(ticket=ticket, direction=Direction.OUTBOUND).first()
    assert message is not None
    Message.objects.filter(pk=message.pk).update(delivery=Delivery.PENDING, delivery_attempts=0)
    for _ in range(outbound.MAX_DELIVERY_ATTEMPTS):
        deliver(message.pk)
    message.refresh_from_db()
    assert message.delivery == Delivery.FAILED
    assert message.delivery_attempts == outbound.MAX_DELIVERY_ATTEMPTS
    assert message.delivery_error == "gateway down"


def test_closed_ticket_stays_closed() -> None:
    ticket = _ticket()
    change_status(ticket, Status.CLOSED, by=None)
    with pytest.raises(InvalidTransition):
        change_status(ticket, Status.OPEN, by=None)
