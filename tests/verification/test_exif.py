"""EXIF: capture time far from the upload, editing software, no EXIF at all."""

from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from unlockdesk.verification.checks.analysis import Analysis
from unlockdesk.verification.checks.exif import judge_exif
from unlockdesk.verification.imaging.exif import facts
from unlockdesk.verification.types import Result, Status

Analysed = Callable[[str], Analysis]
SHANGHAI = ZoneInfo("Asia/Shanghai")
TAKEN = datetime(2026, 11, 25, 10, 30, tzinfo=SHANGHAI)  # what the fixtures' camera EXIF says


def _judge(analysed: Analysed, name: str, uploaded: datetime, kind: str = "handheld") -> list[Result]:
    return judge_exif(facts(analysed(name).image.exif), uploaded_at=uploaded, zone=SHANGHAI, kind=kind)


def test_photo_taken_an_hour_before_upload_passes(analysed: Analysed) -> None:
    [result] = _judge(analysed, "handheld_genuine.jpg", TAKEN + timedelta(hours=1))
    assert (result.status, result.reason_code) == (Status.PASS, "ok")


@pytest.mark.parametrize(("kind", "status"), [("handheld", Status.FAIL), ("id_front", Status.WARN)])
def test_old_photo_is_flagged_hardest_for_the_handheld(analysed: Analysed, kind: str, status: Status) -> None:
    [result] = _judge(analysed, "handheld_genuine.jpg", TAKEN + timedelta(days=10), kind)
    assert (result.status, result.reason_code) == (status, "capture_time")


def test_photo_saved_by_an_editor_is_flagged(analysed: Analysed) -> None:
    reasons = {r.reason_code: r.status for r in _judge(analysed, "handheld_edited.jpg", TAKEN)}
    assert reasons == {"edited": Status.WARN}


def test_no_exif_is_not_available(analysed: Analysed) -> None:
    [result] = _judge(analysed, "handheld_screenshot.png", TAKEN)
    assert (result.status, result.reason_code) == (Status.NOT_AVAILABLE, "no_exif")
