"""Outgoing webhooks: who subscribes to what, and sending each event with retries.

enqueue() is the listener of `unlockdesk.integration_events`: it runs after the change has
committed, stores one Delivery per interested subscription and queues it. send() makes one
HTTP attempt and logs it; the task retries with exponential back-off until a 2xx answer or
UNLOCKDESK_WEBHOOK_MAX_ATTEMPTS. Delivery is at least once: receivers drop repeats by the
`webhook-id` header, which stays the same across retries and redeliveries.
"""

import json
import logging
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from unlockdesk.celery_app import app as celery_app
from unlockdesk.intake.outgoing import signing
from unlockdesk.intake.outgoing.held import active_subscriptions
from unlockdesk.intake.outgoing.models import Attempt, Delivery, DeliveryState, Subscription
from unlockdesk.integration_events import EventType

log = logging.getLogger(__name__)

# A pending delivery this late past its due time has lost its task: the sweep queues it again.
OVERDUE_AFTER = timedelta(minutes=5)


class SubscriptionRefused(ValueError):
    """A subscription the desk will not store (bad URL, unknown event type)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Outcome:
    delivered: bool
    retry_in: timedelta | None = None


def _clean_events(events: Iterable[str]) -> list[str]:
    chosen = sorted(set(events))
    unknown = [e for e in chosen if e not in EventType.values]
    if unknown or not chosen:
        raise SubscriptionRefused("unknown_event", f"unknown or no event types: {', '.join(unknown)}")
    return chosen


def subscribe(*, url: str, events: Iterable[str], description: str = "", actor: str) -> Subscription:
    """Admins only (the caller checks): a new subscription with a fresh secret, shown once."""
    if not url.startswith(("https://", "http://")):
        raise SubscriptionRefused("invalid_url", "the URL must start with https:// or http://")
    return Subscription.objects.create(url=url[:500], events=_clean_events(events),
                                       description=description[:200], secret=signing.new_secret(),
                                       created_by=actor[:64])


def deactivate(subscription: Subscription) -> Subscription:
    subscription.active = False
    subscription.save(update_fields=["active"])
    return subscription


def enqueue(event_type: str, data: dict[str, Any]) -> list[int]:
    """Store and queue one delivery per active subscription to `event_type`; returns their ids.

    Never raises: the change it reports has landed, and a lost event is logged instead.
    """
    try:
        now = timezone.now()
        body = {"type": event_type, "timestamp": now.isoformat(), "data": data}
        payload = json.loads(json.dumps(body, cls=DjangoJSONEncoder))
        ids = []
        for subscription in active_subscriptions():
            if subscription.wants(event_type):
                delivery = Delivery.objects.create(
                    subscription=subscription, webhook_id=f"msg_{uuid.uuid4().hex}",
                    event_type=event_type, payload=payload, next_attempt_at=now)
                ids.append(delivery.pk)
    except Exception:
        log.exception("could not store webhook deliveries for %s", event_type)
        return []
    for pk in ids:
        _queue(pk)
    return ids


# Started by its registered name (the task module calls these services: one way only).
DELIVER_WEBHOOK = "unlockdesk.intake.outgoing.tasks.deliver_webhook"


def _queue(delivery_id: int) -> None:
    try:
        transaction.on_commit(lambda: celery_app.tasks[DELIVER_WEBHOOK].delay(delivery_id))
    except Exception:  # broker down: the overdue sweep sends it later
        log.exception("could not queue webhook delivery %s", delivery_id)


def retry_delay(attempts: int) -> timedelta:
    """Back-off after the `attempts`-th failure: base, 2x base, 4x base ... (base 30 s)."""
    return timedelta(seconds=settings.UNLOCKDESK_WEBHOOK_RETRY_SECONDS * 2 ** max(attempts - 1, 0))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A subscription names one URL; a redirect elsewhere counts as a failed attempt."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def _post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int | None, str]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with _opener.open(request, timeout=settings.UNLOCKDESK_WEBHOOK_TIMEOUT_SECONDS) as response:
            response.read(4096)
            return response.status, ""
    except urllib.error.HTTPError as exc:
        return exc.code, f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return None, str(getattr(exc, "reason", exc))[:250]


def send(delivery_id: int) -> Outcome:
    """One signed POST of a pending delivery, logged as an Attempt; safe to call again."""
    delivery = Delivery.objects.select_related("subscription").get(pk=delivery_id)
    if delivery.state != DeliveryState.PENDING:
        return Outcome(delivered=delivery.state == DeliveryState.SUCCEEDED)
    subscription = delivery.subscription
    body = json.dumps(delivery.payload, separators=(",", ":"), ensure_ascii=False).encode()
    started = time.monotonic()
    status, error = _post(subscription.url, body,
                          signing.headers(subscription.secret, delivery.webhook_id, int(time.time()), body))
    elapsed_ms = int((time.monotonic() - started) * 1000)
    succeeded = status is not None and 200 <= status < 300
    attempts = delivery.attempts + 1
    final = not succeeded and attempts >= settings.UNLOCKDESK_WEBHOOK_MAX_ATTEMPTS
    retry_in = None if succeeded or final else retry_delay(attempts)
    now = timezone.now()
    with transaction.atomic():
        Attempt.objects.create(delivery=delivery, number=attempts, status_code=status,
                               error=error, succeeded=succeeded, duration_ms=elapsed_ms,
                               retry_in_seconds=int(retry_in.total_seconds()) if retry_in else None,
                               attempted_at=now)
        Delivery.objects.filter(pk=delivery.pk).update(
            attempts=F("attempts") + 1,
            last_status_code=status,
            state=(DeliveryState.SUCCEEDED if succeeded
                   else DeliveryState.FAILED if final else DeliveryState.PENDING),
            delivered_at=now if succeeded else None,
            next_attempt_at=now + retry_in if retry_in else None,
        )
    return Outcome(delivered=succeeded, retry_in=retry_in)


def redeliver(delivery: Delivery) -> Delivery:
    """An admin sends a delivery again (same webhook-id), whatever its state; attempts go on
    being numbered after the earlier ones."""
    Delivery.objects.filter(pk=delivery.pk).update(state=DeliveryState.PENDING,
                                                    next_attempt_at=timezone.now())
    _queue(delivery.pk)
    delivery.refresh_from_db()
    return delivery


def overdue(now: datetime | None = None, *, limit: int = 500) -> list[int]:
    """Pending deliveries whose task was lost (broker down, worker killed); each is due again
    from now, so a slow worker gets one extra task per sweep at most."""
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(Delivery.objects.filter(state=DeliveryState.PENDING,
                                           next_attempt_at__lt=now - OVERDUE_AFTER)
                   .order_by("next_attempt_at").values_list("pk", flat=True)[:limit])
        Delivery.objects.filter(pk__in=ids).update(next_attempt_at=now)
    return ids
