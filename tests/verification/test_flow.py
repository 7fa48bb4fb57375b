"""The whole flow: materials submitted, checks on the queue, the outcome the customer and the
reviewer see. Every registered check runs, on real pictures."""

from datetime import timedelta

import pytest

from tests.verification import pictures
from tests.verification.builders import (
    applicant,
    draft,
    handheld_for,
    now_in_shanghai,
    submit,
    upload,
    upload_cards,
)
from unlockdesk.tickets.models import Message
from unlockdesk.unlock.types import ApplicationStatus, RiskFactor
from unlockdesk.verification.models import CheckResult

pytestmark = pytest.mark.django_db


def _last_notice(app: object) -> str:
    return (Message.objects.filter(ticket=app.ticket, headers__auto__startswith="unlock:")  # type: ignore[attr-defined]
            .order_by("-seq").values_list("body_text", flat=True).first()) or ""


def _wrong_day() -> str:
    return (now_in_shanghai().date() - timedelta(days=5)).isoformat()


def test_wrong_date_on_the_note_gets_needs_more_information_with_that_reason() -> None:
    customer, _account = applicant("flow-a@example.com")
    app = draft(customer)
    upload_cards(app, customer)
    upload(app, customer, "handheld", handheld_for(app, date_text=_wrong_day()))
    app = submit(app, customer)

    assert app.status == ApplicationStatus.NEEDS_INFO
    [item] = app.redo_items
    assert item["kind"] == "handheld" and item["checks"] == ["handheld_note:date_wrong"]
    assert "not today" in item["reason_en"] and "今天" in item["reason_zh"]
    notice = _last_notice(app)
    assert ("not today" in notice or "不是今天" in notice), notice
    stored = CheckResult.objects.get(application=app, check_name="handheld_note")
    assert (stored.status, stored.reason_code, stored.evidence.kind) == ("fail", "date_wrong", "handheld")
    assert stored.region is not None, "the reviewer sees the date outlined"


def test_a_new_photo_with_todays_date_goes_on_to_review() -> None:
    customer, _account = applicant("flow-b@example.com")
    app = draft(customer)
    upload_cards(app, customer)
    upload(app, customer, "handheld", handheld_for(app, date_text=_wrong_day()))
    app = submit(app, customer)
    assert app.status == ApplicationStatus.NEEDS_INFO

    upload(app, customer, "handheld", handheld_for(app))
    app = submit(app, customer)
    assert app.status == ApplicationStatus.IN_REVIEW and app.review_round == 2
    failed = CheckResult.objects.filter(application=app, status="fail")
    assert list(failed.values_list("check_name", "reason_code")) == [] and not app.high_risk
    assert CheckResult.objects.get(application=app, check_name="face_match").status == "pass"


def test_someone_elses_face_goes_to_two_reviewers_not_back_to_the_customer() -> None:
    customer, _account = applicant("flow-c@example.com")
    app = draft(customer)
    upload_cards(app, customer)
    upload(app, customer, "handheld", handheld_for(app, date_text=_wrong_day(), who="hopper"))
    app = submit(app, customer)

    assert app.status == ApplicationStatus.IN_REVIEW, "a suspicious failure is a reviewer's call"
    assert app.high_risk and RiskFactor.FAILED_CHECKS in app.risk_factors
    assert app.risk_score >= 80
    assert CheckResult.objects.get(application=app, check_name="face_match").reason_code == "different_person"


def test_card_of_another_person_in_the_handheld_photo_is_for_the_reviewer() -> None:
    customer, _account = applicant("flow-d@example.com")
    app = draft(customer)
    upload_cards(app, customer)
    taken = now_in_shanghai()
    assert app.ticket is not None
    note = pictures.Note(date=taken.date().isoformat(), ticket=app.ticket.number)
    upload(app, customer, "handheld",
           pictures.photo(pictures.handheld(note, id_number=pictures.OTHER_ID_NUMBER), captured=taken))
    app = submit(app, customer)
    assert app.status == ApplicationStatus.IN_REVIEW and app.high_risk
    card = CheckResult.objects.get(application=app, check_name="handheld_id_card")
    assert card.reason_code == "number_mismatch"
