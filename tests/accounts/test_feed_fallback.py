"""When a concurrent delivery wins the race to insert one of a batch's rows, the batch is judged
again one event at a time, each in its own savepoint, with the same per-item results."""

from typing import Any

import pytest
from django.db import IntegrityError

from tests.accounts.feed_events import account_event, lock_event
from unlockdesk.accounts import feed
from unlockdesk.accounts.models import AccountLock, FeedEvent

pytestmark = pytest.mark.django_db


def test_batch_falls_back_to_one_savepoint_per_event(monkeypatch: pytest.MonkeyPatch) -> None:
    real_apply = feed._Batch.apply
    calls: list[int] = []

    def racing(self: Any) -> list[feed.ItemResult]:
        calls.append(len(self.raws))
        if len(calls) == 1:
            real_apply(self)  # writes, then the race is lost: the savepoint rolls it back
            raise IntegrityError("duplicate key value violates unique constraint")
        return real_apply(self)

    monkeypatch.setattr(feed._Batch, "apply", racing)
    events = [account_event("34000001"), lock_event("34000001", reason="bored"),
              lock_event("34000001")]
    results = feed.apply_events(events)
    assert calls == [3, 1, 1, 1]
    assert [(r.index, r.outcome, r.reason) for r in results] == [
        (0, "stored", ""), (1, "refused", "unknown_reason"), (2, "stored", "")]
    assert FeedEvent.objects.count() == 2 and AccountLock.objects.count() == 1
