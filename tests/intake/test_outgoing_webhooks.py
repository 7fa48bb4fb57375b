"""Outgoing webhooks: Standard Webhooks signatures, retries with back-off, a delivery log."""

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from tests.factories import receive_one
from unlockdesk.intake.outgoing import services, signing
from unlockdesk.intake.outgoing.models import Attempt, Delivery, DeliveryState


class Receiver:
    """A local HTTP endpoint that answers with the next status of `script`, then 200."""

    def __init__(self, script: list[int]) -> None:
        self.script = list(script)
        self.requests: list[tuple[dict[str, str], bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append(({k.lower(): v for k, v in self.headers.items()}, body))
                status = receiver.script.pop(0) if receiver.script else 200
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver_factory() -> Iterator[Any]:
    made: list[Receiver] = []

    def make(script: list[int]) -> Receiver:
        made.append(Receiver(script))
        return made[-1]

    yield make
    for receiver in made:
        receiver.close()


def test_delivery_failing_twice_then_succeeding_is_tried_three_times(
    transactional_db: Any, receiver_factory: Any
) -> None:
    receiver = receiver_factory([500, 503])
    subscription = services.subscribe(url=receiver.url, events=["ticket.created"], actor="test")
    receipt = receive_one(text="有人盗了我的账户", sender="victim@example.com")
    delivery = Delivery.objects.get()
    assert delivery.state == DeliveryState.SUCCEEDED and delivery.attempts == 3
    log = list(Attempt.objects.filter(delivery=delivery).values_list(
        "number", "status_code", "succeeded", "retry_in_seconds"))
    assert log == [(1, 500, False, 30), (2, 503, False, 60), (3, 200, True, None)]
    assert len(receiver.requests) == 3
    ids = {headers["webhook-id"] for headers, _body in receiver.requests}
    assert ids == {delivery.webhook_id}
    headers, body = receiver.requests[-1]
    assert signing.verify(subscription.secret, headers["webhook-id"], int(headers["webhook-timestamp"]),
                          body, headers["webhook-signature"])
    event = json.loads(body)
    assert event["type"] == "ticket.created" and event["data"]["ticket"]["number"] == receipt.ticket_number


def test_only_subscribed_events_are_sent(transactional_db: Any, receiver_factory: Any) -> None:
    receiver = receiver_factory([])
    services.subscribe(url=receiver.url, events=["message.created"], actor="test")
    receive_one(text="where is my deposit")
    assert [json.loads(body)["type"] for _h, body in receiver.requests] == ["message.created"]


def test_a_delivery_gives_up_after_the_attempt_limit_and_an_admin_can_redeliver(
    transactional_db: Any, receiver_factory: Any, settings: Any
) -> None:
    settings.UNLOCKDESK_WEBHOOK_MAX_ATTEMPTS = 2
    receiver = receiver_factory([500, 500])
    services.subscribe(url=receiver.url, events=["ticket.created"], actor="test")
    receive_one()
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.last_status_code) == (DeliveryState.FAILED, 2, 500)
    services.redeliver(delivery)
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (DeliveryState.SUCCEEDED, 3)
    assert len({h["webhook-id"] for h, _b in receiver.requests}) == 1


def test_an_unreachable_receiver_is_logged_not_raised(transactional_db: Any, receiver_factory: Any,
                                                      settings: Any) -> None:
    settings.UNLOCKDESK_WEBHOOK_MAX_ATTEMPTS = 1
    receiver = receiver_factory([])
    url = receiver.url
    receiver.close()
    services.subscribe(url=url, events=["ticket.created"], actor="test")
    receive_one()
    attempt = Attempt.objects.get()
    assert attempt.status_code is None and attempt.error and not attempt.succeeded


def test_signature_follows_the_standard_webhooks_example() -> None:
    """The worked example of the Standard Webhooks specification's reference libraries."""
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    body = b'{"test": 2432232314}'
    assert signing.sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body) == (
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")


def test_workflow_changes_and_unlock_decisions_reach_listeners(
    db: Any, agent: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """The lower layers publish; intake's listener (and any other) hears it after commit."""
    from unlockdesk import integration_events
    from unlockdesk.tickets.models import Status, Ticket
    from unlockdesk.tickets.services import change_status

    heard: list[tuple[str, dict[str, Any]]] = []

    def listener(kind: str, data: dict[str, Any]) -> None:
        heard.append((kind, data))

    integration_events.listen(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            receipt = receive_one()
        with django_capture_on_commit_callbacks(execute=True):
            change_status(Ticket.objects.get(pk=receipt.ticket_id), Status.WAITING_US, by=agent)
        with django_capture_on_commit_callbacks(execute=True):
            integration_events.lock_changed(account_uid="1", lock_id=7, reason="risk_control",
                                            restrictions=["withdraw"], active=True, actor="system:test")
    finally:
        integration_events._listeners.remove(listener)
    kinds = [kind for kind, _data in heard]
    assert kinds == ["ticket.created", "message.created", "ticket.updated", "lock.changed"]
    assert heard[2][1]["change"] == "status" and heard[2][1]["ticket"]["status"] == "waiting_us"


def test_an_emergency_freeze_is_published(db: Any, django_capture_on_commit_callbacks: Any) -> None:
    from tests.factories import make_account
    from unlockdesk import integration_events
    from unlockdesk.safety.freeze import emergency_freeze

    heard: list[tuple[str, dict[str, Any]]] = []

    def listener(kind: str, data: dict[str, Any]) -> None:
        if kind == "freeze.requested":
            heard.append((kind, data))

    integration_events.listen(listener)
    try:
        account = make_account(email="frozen@example.com")
        with django_capture_on_commit_callbacks(execute=True):
            outcome = emergency_freeze(account, actor="customer", via="portal", language="en")
    finally:
        integration_events._listeners.remove(listener)
    assert heard == [("freeze.requested", {"account_uid": account.uid, "via": "portal",
                                           "already_frozen": False, "ticket": outcome.ticket_number})]
