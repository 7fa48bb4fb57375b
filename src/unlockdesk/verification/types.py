"""The contract every automated check follows. Read this before adding one.

A check is a plain function::

    from unlockdesk.verification.registry import register
    from unlockdesk.verification.types import CheckContext, Result, Status

    @register("image_quality")
    def image_quality(context: CheckContext) -> list[Result]:
        results = []
        for evidence in context.images():
            data = context.read(evidence)          # decrypted original bytes
            ...
            results.append(Result(
                check="image_quality", status=Status.WARN, reason_code="blurry",
                message_zh="照片模糊，请重新拍摄。", message_en="The photo is blurry. Please retake it.",
                detail="variance of Laplacian 12.3 < 40", region=Region(10, 20, 200, 100),
                evidence_id=evidence.pk,
            ))
        return results

How to add one:
1. Put the function in a module under `unlockdesk/verification/checks/` (one module per topic,
   e.g. `checks/imaging.py`). Every module there is imported when Django starts
   (`registry.discover()`), so `@register(name)` is all the wiring there is.
2. The name is unique and stable: stored results refer to it.
3. Return one `Result` per thing judged (per evidence file for image checks), or a single
   result for the whole application. Return `Status.NOT_AVAILABLE` (with a reason code) when
   the check cannot judge (no such evidence, a PDF, a tool missing); never invent a verdict.
4. A check only reads. It must not write to the database, change the application or talk to
   the network; `services.run_checks` stores what it returns, replacing the previous results
   of every check in one transaction. An exception in a check is caught and stored as a
   NOT_AVAILABLE result with reason code `check_error`, so one broken check never hides the
   others.
5. `message_zh` / `message_en` may be shown to the customer (plain, no PII); `detail` is for
   reviewers only and must not contain a full ID number or name either (masked forms only).
6. `region` is in the pixel coordinates of the original image (after EXIF orientation is
   applied); the reviewer screen outlines it.
7. A FAIL makes the application high-risk (second reviewer needed); WARNs add to the risk
   score (`selectors.risk_score`). When every FAIL is one the customer fixes with a new picture
   (listed in `selectors.RETAKE`), the application goes back to the customer at once with the
   FAILs' messages ("needs more information"); add a new fixable reason code there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

if TYPE_CHECKING:
    from unlockdesk.accounts.models import ExchangeAccount
    from unlockdesk.unlock.models import Evidence, UnlockApplication


class Status(models.TextChoices):
    PASS = "pass", _("Passed")
    WARN = "warn", _("Warning")
    FAIL = "fail", pgettext_lazy("check result", "Failed")
    NOT_AVAILABLE = "not_available", _("Not available")


@dataclass(frozen=True)
class Region:
    """A rectangle in the original image's pixels: left, top, width, height."""

    x: int
    y: int
    w: int
    h: int

    def as_dict(self) -> dict[str, int]:
        return {"x": self.x, "y": self.y, "w": self.w, "h": self.h}


@dataclass(frozen=True)
class Result:
    """One verdict of one check; stored as a `models.CheckResult` row."""

    check: str
    status: Status
    reason_code: str
    message_zh: str = ""
    message_en: str = ""
    detail: str = ""
    region: Region | None = None
    evidence_id: int | None = None

    def message(self, language: str) -> str:
        return self.message_zh if language.startswith("zh") else self.message_en


@dataclass(frozen=True)
class NoteExpectation:
    """What the paper note in the handheld photo must say."""

    phrase: str
    date: date
    ticket_number: str


@dataclass(frozen=True)
class CheckContext:
    """Everything a check may look at; built once per run by `services.run_checks`."""

    application: UnlockApplication
    evidence: tuple[Evidence, ...]
    account: ExchangeAccount | None
    note: NoteExpectation
    _cache: dict[int, bytes] = field(default_factory=dict, compare=False, repr=False)

    def of_kind(self, kind: str) -> list[Evidence]:
        return [item for item in self.evidence if item.kind == kind]

    def images(self) -> list[Evidence]:
        return [item for item in self.evidence if item.content_type.startswith("image/")]

    def read(self, evidence: Evidence) -> bytes:
        """The decrypted original bytes (read once per run, then cached)."""
        if evidence.pk not in self._cache:
            with evidence.file.open("rb") as handle:
                self._cache[evidence.pk] = handle.read()
        return self._cache[evidence.pk]


@dataclass(frozen=True)
class RiskScore:
    """0-100: how risky unlocking is, with the codes that contributed."""

    score: int
    factors: tuple[str, ...]
