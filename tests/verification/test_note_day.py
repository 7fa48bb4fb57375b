"""The note's date is judged against the day the photo was uploaded in the customer's own time
zone, with the grace days of the settings."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings

from tests.verification.builders import applicant, draft, only_checks, upload
from tests.verification.conftest import picture
from unlockdesk.accounts.models import ExchangeAccount
from unlockdesk.unlock.models import Evidence
from unlockdesk.verification import services
from unlockdesk.verification.models import CheckResult

pytestmark = pytest.mark.django_db

# handheld_genuine.jpg's note says 2026-11-25. This moment is 2026-11-27 in Shanghai (two days
# on: beyond the one-day grace) but still 2026-11-26 in Los Angeles (within it).
UPLOADED = datetime(2026, 11, 27, 1, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
DATE_FAILS = {"date_wrong", "date_missing"}


def _note_reasons(time_zone: str, email: str) -> set[str]:
    customer, account = applicant(email)
    ExchangeAccount.objects.filter(pk=account.pk).update(time_zone=time_zone)
    app = draft(customer)
    upload(app, customer, "handheld", picture("handheld_genuine.jpg"))
    Evidence.objects.filter(application=app).update(uploaded_at=UPLOADED)
    services.run_checks(app.pk)
    rows = CheckResult.objects.filter(application=app, check_name="handheld_note")
    return {r.reason_code for r in rows if r.status == "fail"}


def test_the_date_is_the_customers_own_day(monkeypatch: pytest.MonkeyPatch) -> None:
    only_checks(monkeypatch, "handheld_note")
    assert not _note_reasons("America/Los_Angeles", "zone-la@example.com") & DATE_FAILS
    assert "date_wrong" in _note_reasons("Asia/Shanghai", "zone-sh@example.com")


@override_settings(UNLOCKDESK_NOTE_DATE_GRACE_DAYS=0)
def test_the_grace_days_come_from_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    only_checks(monkeypatch, "handheld_note")
    assert "date_wrong" in _note_reasons("America/Los_Angeles", "zone-grace@example.com")
