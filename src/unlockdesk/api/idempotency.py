"""Idempotency-Key on POST: a retried request gets the first answer, and runs nothing again.

The key is stored (per API key) before the route runs, so two copies racing each other cannot
both run: the second is told 409 while the first is in flight. The same key with a different
request is refused with 422. Keys are forgotten after UNLOCKDESK_IDEMPOTENCY_HOURS.
"""

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from ninja import Schema
from ninja.responses import NinjaJSONEncoder

from unlockdesk.api.auth import key_of
from unlockdesk.api.errors import ApiError, translate
from unlockdesk.api.models import IdempotentRequest

Answer = tuple[int, Schema]
REPLAYED_HEADER = "Idempotent-Replayed"
# A first request still "running" after this died with its worker: a retry may run it again.
ABANDONED_AFTER = timedelta(minutes=5)


def _fingerprint(request: HttpRequest) -> str:
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    digest.update(request.body)
    return digest.hexdigest()


def _run(run: Callable[[], Answer]) -> tuple[int, Any]:
    try:
        status, body = run()
        # The same rendering as ninja's own answers (datetimes as DjangoJSONEncoder writes them).
        return status, json.loads(json.dumps(body.model_dump(), cls=NinjaJSONEncoder))
    except Exception as exc:
        error = translate(exc)
        if error is None:
            raise
        return error.status, error.body()


def once(request: HttpRequest, idempotency_key: str | None, run: Callable[[], Answer]) -> JsonResponse:
    """Answer a POST through `run`, at most once per Idempotency-Key (when one was sent)."""
    if not idempotency_key:
        status, body = _run(run)
        return JsonResponse(body, status=status)
    api_key = key_of(request)
    fingerprint = _fingerprint(request)
    now = timezone.now()
    horizon = now - timedelta(hours=settings.UNLOCKDESK_IDEMPOTENCY_HOURS)
    abandoned = now - ABANDONED_AFTER
    IdempotentRequest.objects.filter(api_key=api_key, key=idempotency_key).filter(
        Q(created_at__lt=horizon) | Q(status_code__isnull=True, created_at__lt=abandoned)).delete()
    try:
        with transaction.atomic():
            record = IdempotentRequest.objects.create(api_key=api_key, key=idempotency_key,
                                                      fingerprint=fingerprint)
    except IntegrityError:
        return _replay(api_key.pk, idempotency_key, fingerprint)
    try:
        status, body = _run(run)
    except BaseException:
        record.delete()  # nothing was answered: a retry may run it
        raise
    record.status_code, record.response = status, body
    record.save(update_fields=["status_code", "response"])
    return JsonResponse(body, status=status)


def _replay(api_key_id: int, idempotency_key: str, fingerprint: str) -> JsonResponse:
    first = IdempotentRequest.objects.filter(api_key_id=api_key_id, key=idempotency_key).first()
    if first is None or first.status_code is None:
        raise ApiError(409, "idempotency_in_progress",
                       "a request with this Idempotency-Key is still running; retry shortly")
    if first.fingerprint != fingerprint:
        raise ApiError(422, "idempotency_key_reused",
                       "this Idempotency-Key was used for a different request")
    response = JsonResponse(first.response, status=first.status_code, safe=False)
    response[REPLAYED_HEADER] = "true"
    return response


def purge_expired() -> int:
    """Forget first answers older than UNLOCKDESK_IDEMPOTENCY_HOURS (beat, hourly)."""
    horizon = timezone.now() - timedelta(hours=settings.UNLOCKDESK_IDEMPOTENCY_HOURS)
    deleted, _per_model = IdempotentRequest.objects.filter(created_at__lt=horizon).delete()
    return deleted
