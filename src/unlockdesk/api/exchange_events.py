"""`POST /api/v1/exchange/events`: the exchange core pushes account, lock and transaction events.

A plain Django view because the HMAC covers the raw body. CSRF-exempt only because every
request is authenticated by that signature (no cookie is ever consulted). The body is one
event object, a JSON array of events, or `{"events": [...]}`; each item gets its own result
(see `accounts.feed`), so the answer is 200 once the request itself is signed and well formed.
"""

import json
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from unlockdesk.accounts import feed, feed_signing

MAX_EVENTS_PER_REQUEST = 1000


def _events_of(payload: Any) -> list[Any] | None:
    if isinstance(payload, list):
        return payload
    if isinstance(payload, dict) and isinstance(payload.get("events"), list):
        return list(payload["events"])
    if isinstance(payload, dict) and "type" in payload:
        return [payload]
    return None


@csrf_exempt
@require_POST
def exchange_events(request: HttpRequest) -> JsonResponse:
    body = request.body
    try:
        feed_signing.verify(
            key_id=request.headers.get(feed_signing.KEY_HEADER, ""),
            timestamp=request.headers.get(feed_signing.TIMESTAMP_HEADER, ""),
            signature=request.headers.get(feed_signing.SIGNATURE_HEADER, ""),
            body=body,
        )
    except feed_signing.FeedSignatureRefused as exc:
        return JsonResponse({"error": str(exc.problem)}, status=401)
    try:
        events = _events_of(json.loads(body))
    except (ValueError, UnicodeDecodeError):
        events = None
    if events is None:
        return JsonResponse({"error": "bad_json",
                             "detail": "send an event object, a list, or {\"events\": [...]}"},
                            status=400)
    if len(events) > MAX_EVENTS_PER_REQUEST:
        return JsonResponse({"error": "too_many_events", "max": MAX_EVENTS_PER_REQUEST}, status=413)
    results = feed.apply_events(events)
    return JsonResponse({**feed.summary(results), "results": [r.as_dict() for r in results]})
