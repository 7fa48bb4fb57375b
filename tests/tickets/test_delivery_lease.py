"""A delivery is sent by one worker at a time, and a delivery whose task was lost is sent by
the overdue sweep: nothing stays pending forever, nothing is sent twice at once."""

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import receive_one
from unlockdesk.intake import phone
from unlockdesk.tickets import tasks
from unlockdesk.tickets.models import Delivery, Direction, Message
from unlockdesk.tickets.services import deliver, outbound
from unlockdesk.tickets.types import Channel, DeliveryResult, IdentityKind, OutboundMessage

pytestmark = pytest.mark.django_db
_SENDERS = itertools.count(10)


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The SMS gateway: records what it was handed."""
    handed: list[int] = []

    def gateway(message: OutboundMessage) -> DeliveryResult:
        handed.append(message.message_id)
        return DeliveryResult(True, provider_id=f"sms:{message.message_id}")

    monkeypatch.setattr(phone, "deliver", gateway)
    return handed


def _pending(**fields: object) -> Message:
    """The acknowledgement of a new phone ticket, back to pending (each on its own ticket)."""
    sender = f"+86138001380{next(_SENDERS):02d}"
    receipt = receive_one(channel=Channel.PHONE, kind=IdentityKind.PHONE, sender=sender, subject="")
    message = Message.objects.filter(ticket_id=receipt.ticket_id, direction=Direction.OUTBOUND).first()
    assert message is not None
    defaults: dict[str, object] = {"delivery_attempts": 0, "delivery_lease_until": None,
                                   "delivery_due_at": None}
    Message.objects.filter(pk=message.pk).update(delivery=Delivery.PENDING, **{**defaults, **fields})
    return message


def test_a_message_another_worker_is_sending_is_not_sent_again(sent: list[int]) -> None:
    message = _pending(delivery_lease_until=timezone.now() + timedelta(minutes=1))
    result = deliver(message.pk)
    assert not result.delivered and not result.retryable and sent == []
    message.refresh_from_db()
    assert message.delivery == Delivery.PENDING and message.delivery_attempts == 0


def test_the_lease_of_a_dead_worker_expires(sent: list[int]) -> None:
    message = _pending(delivery_lease_until=timezone.now() - timedelta(seconds=1))
    assert deliver(message.pk).delivered and sent == [message.pk]
    message.refresh_from_db()
    assert message.delivery == Delivery.SENT and message.delivery_lease_until is None
    deliver(message.pk)
    assert sent == [message.pk], "a message already sent is not sent again"


def test_a_failed_attempt_releases_the_lease_and_says_when_the_next_is_due(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(phone, "deliver", lambda message: DeliveryResult(False, error="gateway down"))
    message = _pending()
    before = timezone.now()
    deliver(message.pk)
    message.refresh_from_db()
    assert message.delivery == Delivery.PENDING and message.delivery_lease_until is None
    assert message.delivery_due_at is not None
    assert before + timedelta(seconds=29) < message.delivery_due_at < timezone.now() + timedelta(seconds=31)


def test_the_sweep_sends_what_lost_its_task_and_leaves_the_rest(sent: list[int]) -> None:
    now = timezone.now()
    lost = _pending(created_at=now - timedelta(minutes=10))
    waiting_for_its_retry = _pending(created_at=now - timedelta(minutes=30),
                                     delivery_due_at=now + timedelta(minutes=2), delivery_attempts=3)
    being_sent = _pending(created_at=now - timedelta(minutes=10),
                          delivery_lease_until=now + timedelta(minutes=1))
    fresh = _pending()
    assert tasks.redeliver_overdue() == 1  # tasks run eagerly in the tests
    assert sent == [lost.pk]
    states = dict(Message.objects.filter(pk__in=[lost.pk, waiting_for_its_retry.pk, being_sent.pk, fresh.pk])
                  .values_list("pk", "delivery"))
    assert states == {lost.pk: Delivery.SENT, waiting_for_its_retry.pk: Delivery.PENDING,
                      being_sent.pk: Delivery.PENDING, fresh.pk: Delivery.PENDING}


def test_a_swept_message_is_due_again_from_the_sweep(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tasks.deliver_message, "delay", lambda pk: None)  # the worker is down
    lost = _pending(created_at=timezone.now() - timedelta(minutes=10))
    assert tasks.redeliver_overdue() == 1
    assert tasks.redeliver_overdue() == 0, "not queued again until it is overdue again"
    later = timezone.now() + outbound.OVERDUE_AFTER + timedelta(seconds=1)
    assert outbound.overdue_deliveries(later) == [lost.pk]
