"""The verifier as an API route: public, rate-limited, same answers as the /verify/ page."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from ninja import Router, Schema, Status

from unlockdesk import ratelimit
from unlockdesk.proxies import client_ip
from unlockdesk.safety.verifier import UnrecognisedInput, verify

router = Router(tags=["safety"])


class VerifyIn(Schema):
    value: str
    language: str = "en"


class VerifyOut(Schema):
    verdict: str
    reason: str
    kind: str
    technique: str


class ErrorOut(Schema):
    detail: str


@router.post("/verify", response={200: VerifyOut, 400: ErrorOut, 429: ErrorOut}, auth=None)
def verify_contact(request: HttpRequest, payload: VerifyIn) -> Any:
    """Anyone: is this URL, email, phone number, handle or 工号 official? (30 a minute per IP)"""
    ip = client_ip(request) or "unknown"
    if not ratelimit.allow("verify", ip, limit=settings.UNLOCKDESK_VERIFY_PER_MINUTE):
        return Status(429, {"detail": "too many requests; wait a minute"})
    language = payload.language.lower() if payload.language.lower() in ("zh-hans", "zh-hant") else (
        "zh-hans" if payload.language.lower().startswith("zh") else "en")
    with translation.override(language):
        try:
            return Status(200, verify(payload.value).as_dict())
        except UnrecognisedInput as exc:
            return Status(400, {"detail": str(exc)})
