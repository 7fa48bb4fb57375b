"""Building `Result`s with the customer message in both languages (no registration here)."""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import override

from unlockdesk.verification.types import Region, Result, Status


def both(message: Promise | str, **params: Any) -> tuple[str, str]:
    """The message rendered in zh-hans and in en, with %-style parameters filled in."""
    texts = []
    for language in ("zh-hans", "en"):
        with override(language):
            text = str(message)
            texts.append(text % params if params else text)
    return texts[0], texts[1]


def result(check: str, status: Status, reason: str, message: Promise | str, *, detail: str = "",
           region: tuple[int, int, int, int] | Region | None = None, evidence_id: int | None = None,
           **params: Any) -> Result:
    zh, en = both(message, **params)
    if region is not None and not isinstance(region, Region):
        region = Region(*region)
    return Result(check=check, status=status, reason_code=reason, message_zh=zh, message_en=en,
                  detail=detail, region=region, evidence_id=evidence_id)
