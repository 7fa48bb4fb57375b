"""/api/v1/webhooks: subscriptions to outgoing events and their delivery log."""

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.params import HeaderEx, P, PathEx
from pydantic import Field

from unlockdesk.api import idempotency
from unlockdesk.api.auth import key_of, requires
from unlockdesk.api.errors import READ_ERRORS, WRITE_ERRORS, ApiError, not_found
from unlockdesk.api.scopes import Scope
from unlockdesk.api.v1.schemas import Description
from unlockdesk.intake.outgoing import services
from unlockdesk.intake.outgoing.models import Delivery, Subscription

router = Router(tags=["webhooks"])

EventName = Literal["ticket.created", "ticket.updated", "message.created", "unlock.submitted",
                    "unlock.decided", "freeze.requested", "lock.changed"]
Id = PathEx[int, P(ge=1, le=2**62)]
IdempotencyKey = HeaderEx[str | None, P(alias="Idempotency-Key", max_length=255)]


class SubscriptionIn(Schema):
    url: str = Field(min_length=8, max_length=500, pattern=r"^https?://[^\s\x00]+$")
    events: list[EventName] = Field(min_length=1, max_length=7)
    description: Description = ""


class SubscriptionOut(Schema):
    id: int
    url: str
    events: list[str]
    description: str
    active: bool
    created_at: datetime

    @staticmethod
    def of(subscription: Subscription) -> "SubscriptionOut":
        return SubscriptionOut(id=subscription.pk, url=subscription.url, events=subscription.events,
                               description=subscription.description, active=subscription.active,
                               created_at=subscription.created_at)


class NewSubscriptionOut(SubscriptionOut):
    secret: str = Field(description="The signing secret (whsec_...): shown this once.")


class DeliveryOut(Schema):
    id: int
    webhook_id: str
    event_type: str
    state: Literal["pending", "succeeded", "failed"]
    attempts: int
    last_status_code: int | None
    created_at: datetime
    delivered_at: datetime | None

    @staticmethod
    def of(delivery: Delivery) -> "DeliveryOut":
        return DeliveryOut(id=delivery.pk, webhook_id=delivery.webhook_id, event_type=delivery.event_type,
                           state=delivery.state, attempts=delivery.attempts,  # type: ignore[arg-type]
                           last_status_code=delivery.last_status_code, created_at=delivery.created_at,
                           delivered_at=delivery.delivered_at)


@router.get("/webhooks/subscriptions", response={200: list[SubscriptionOut], **READ_ERRORS},
            **requires(Scope.WEBHOOKS_ADMIN))
def list_subscriptions(request: HttpRequest) -> Any:
    """Every subscription, newest first (secrets are never shown again). Scope `webhooks:admin`."""
    return [SubscriptionOut.of(s) for s in Subscription.objects.order_by("-pk")[:200]]


@router.post("/webhooks/subscriptions", response={201: NewSubscriptionOut, **WRITE_ERRORS},
             **requires(Scope.WEBHOOKS_ADMIN))
def create_subscription(request: HttpRequest, payload: SubscriptionIn,
                        idempotency_key: IdempotencyKey = None) -> Any:
    """Subscribe a URL to events; the answer holds its signing secret, this once.
    Scope `webhooks:admin`."""

    def run() -> tuple[int, Schema]:
        try:
            subscription = services.subscribe(url=payload.url, events=payload.events,
                                              description=payload.description,
                                              actor=f"api:{key_of(request).prefix}")
        except services.SubscriptionRefused as exc:
            raise ApiError(422, exc.code, exc.message) from None
        return 201, NewSubscriptionOut(**SubscriptionOut.of(subscription).model_dump(),
                                       secret=subscription.secret)

    return idempotency.once(request, idempotency_key, run)


@router.delete("/webhooks/subscriptions/{subscription_id}", response={200: SubscriptionOut, **WRITE_ERRORS},
               **requires(Scope.WEBHOOKS_ADMIN))
def deactivate_subscription(request: HttpRequest, subscription_id: Id) -> Any:
    """Stop sending to this URL (its log is kept). Scope `webhooks:admin`."""
    subscription = Subscription.objects.filter(pk=subscription_id).first()
    if subscription is None:
        raise not_found("subscription")
    return SubscriptionOut.of(services.deactivate(subscription))


@router.get("/webhooks/subscriptions/{subscription_id}/deliveries",
            response={200: list[DeliveryOut], **READ_ERRORS}, **requires(Scope.WEBHOOKS_ADMIN))
def list_deliveries(request: HttpRequest, subscription_id: Id) -> Any:
    """The latest 100 deliveries to this URL with their outcome. Scope `webhooks:admin`."""
    subscription = Subscription.objects.filter(pk=subscription_id).first()
    if subscription is None:
        raise not_found("subscription")
    return [DeliveryOut.of(d) for d in subscription.deliveries.order_by("-pk")[:100]]


@router.post("/webhooks/deliveries/{delivery_id}/redeliver", response={202: DeliveryOut, **WRITE_ERRORS},
             **requires(Scope.WEBHOOKS_ADMIN))
def redeliver(request: HttpRequest, delivery_id: Id, idempotency_key: IdempotencyKey = None) -> Any:
    """Send one delivery again, with the same webhook-id. Scope `webhooks:admin`."""

    def run() -> tuple[int, Schema]:
        delivery = Delivery.objects.filter(pk=delivery_id).first()
        if delivery is None:
            raise not_found("delivery")
        return 202, DeliveryOut.of(services.redeliver(delivery))

    return idempotency.once(request, idempotency_key, run)
