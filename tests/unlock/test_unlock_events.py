"""Unlock applications tell subscribed systems when they are submitted and decided."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import TestCase

from tests.factories import make_agent
from tests.unlock.builders import customer_for, locked_account, submitted
from unlockdesk import integration_events
from unlockdesk.staff.models import Role
from unlockdesk.unlock import services
from unlockdesk.unlock.models import ReasonTemplate

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard() -> Iterator[list[tuple[str, dict[str, Any]]]]:
    events: list[tuple[str, dict[str, Any]]] = []

    def listener(kind: str, data: dict[str, Any]) -> None:
        if kind.startswith("unlock."):
            events.append((kind, data))

    integration_events.listen(listener)
    yield events
    integration_events._listeners.remove(listener)


def test_submission_and_decision_are_published(heard: list[tuple[str, dict[str, Any]]]) -> None:
    account = locked_account(email="events@example.com")
    app = submitted(customer_for("events@example.com"))
    reason = ReasonTemplate.objects.get(code="ownership-not-proven")
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.reject(app, reviewer=make_agent(role=Role.REVIEWER), reasons=[reason])
    assert [(kind, data["status"]) for kind, data in heard] == [
        ("unlock.submitted", "submitted"), ("unlock.decided", "rejected")]
    assert heard[-1][1]["account_uid"] == account.uid
    assert heard[-1][1]["ticket"] == app.ticket.number  # type: ignore[union-attr]
