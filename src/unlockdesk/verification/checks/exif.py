"""EXIF of photos: taken long before it was uploaded, or saved by a photo editor."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from unlockdesk.verification.checks.analysis import analyse
from unlockdesk.verification.checks.quality import PHOTO_KINDS
from unlockdesk.verification.checks.results import result
from unlockdesk.verification.imaging.exif import ExifFacts, edited_with, facts
from unlockdesk.verification.imaging.loading import ImageUnreadable
from unlockdesk.verification.registry import register
from unlockdesk.verification.types import CheckContext, Result, Status

CHECK = "exif"


def max_age() -> timedelta:
    return timedelta(hours=int(settings.UNLOCKDESK_EXIF_MAX_AGE_HOURS))


def judge_exif(found: ExifFacts, *, uploaded_at: datetime, zone: ZoneInfo, kind: str,
               evidence_id: int | None = None) -> list[Result]:
    """Capture time vs upload time (camera clocks without an offset are read in the customer's
    zone) and editor tags. No EXIF at all is "not available": many apps strip it."""
    out: list[Result] = []
    editor = edited_with(found.software)
    if editor:
        out.append(result(CHECK, Status.WARN, "edited",
                          _("This photo was saved by a photo editor. Please send the original photo "
                            "from your camera."),
                          detail=f"Software tag {found.software[:60]!r}", evidence_id=evidence_id))
    if found.captured is not None:
        captured = found.captured
        if captured.tzinfo is None:
            captured = captured.replace(tzinfo=zone)
        gap = uploaded_at - captured
        limit = max_age()
        if gap > limit or gap < -timedelta(hours=2):
            status = Status.FAIL if kind == "handheld" else Status.WARN
            out.append(result(CHECK, status, "capture_time",
                              _("This photo was not taken recently. Please take a new photo today."),
                              detail=f"taken {captured:%Y-%m-%d %H:%M %z}, uploaded "
                                     f"{timezone.localtime(uploaded_at, zone):%Y-%m-%d %H:%M %z} "
                                     f"({gap.total_seconds() / 3600:.0f} h apart, limit "
                                     f"{limit.total_seconds() / 3600:.0f} h)",
                              evidence_id=evidence_id))
    if out:
        return out
    if found.captured is None and not found.software:
        return [result(CHECK, Status.NOT_AVAILABLE, "no_exif",
                       _("The photo carries no camera information; a reviewer will look."),
                       detail="no EXIF capture time or software tag", evidence_id=evidence_id)]
    return [result(CHECK, Status.PASS, "ok", _("The photo was taken recently."),
                   detail=f"camera {found.camera or '?'}; taken {found.captured}", evidence_id=evidence_id)]


@register(CHECK)
def exif(context: CheckContext) -> list[Result]:
    zone_name = context.account.time_zone if context.account is not None else settings.TIME_ZONE
    try:
        zone = ZoneInfo(zone_name)
    except Exception:
        zone = ZoneInfo(settings.TIME_ZONE)
    out: list[Result] = []
    for evidence in context.images():
        if evidence.kind not in PHOTO_KINDS:
            continue
        try:
            found = facts(analyse(context.read(evidence)).image.exif)
        except ImageUnreadable:
            continue  # image_quality reports it
        out.extend(judge_exif(found, uploaded_at=evidence.uploaded_at, zone=zone, kind=evidence.kind,
                              evidence_id=evidence.pk))
    return out
