"""Registered checks run on stored applications: reused evidence, account contact,
transactions, KYC match; storing results, a broken check, the risk score and retakes."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.verification.builders import applicant, draft, only_checks, upload
from tests.verification.conftest import picture
from tests.verification.pictures import OTHER_ID_NUMBER
from unlockdesk.accounts.models import ExchangeAccount, Transaction
from unlockdesk.unlock.models import UnlockApplication
from unlockdesk.verification import registry, selectors, services
from unlockdesk.verification.checks.transactions import judge_row
from unlockdesk.verification.models import CheckResult
from unlockdesk.verification.types import CheckContext, Result, Status

pytestmark = pytest.mark.django_db


def _stored(app: UnlockApplication, check: str) -> list[tuple[str, str, str]]:
    rows = CheckResult.objects.filter(application=app, check_name=check).select_related("evidence")
    return [(r.evidence.kind if r.evidence else "", r.status, r.reason_code) for r in rows]


def test_a_picture_from_another_accounts_application_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    only_checks(monkeypatch, "reused_evidence")
    first_customer, _ = applicant("reuse-a@example.com")
    first = draft(first_customer)
    upload(first, first_customer, "handheld", picture("handheld_genuine.jpg"))
    second_customer, _ = applicant("reuse-b@example.com")
    second = draft(second_customer)
    upload(second, second_customer, "handheld", picture("handheld_genuine.jpg"))
    services.run_checks(second.pk)
    assert _stored(second, "reused_evidence") == [("handheld", "fail", "reused_other_account")]


def test_a_near_same_picture_counts_as_reused(monkeypatch: pytest.MonkeyPatch) -> None:
    only_checks(monkeypatch, "reused_evidence")
    first_customer, _ = applicant("reuse-c@example.com")
    upload(draft(first_customer), first_customer, "handheld", picture("handheld_genuine.jpg"))
    second_customer, _ = applicant("reuse-d@example.com")
    second = draft(second_customer)
    upload(second, second_customer, "handheld", picture("handheld_glare.jpg"))  # same scene, re-saved
    services.run_checks(second.pk)
    assert _stored(second, "reused_evidence") == [("handheld", "fail", "reused_other_account")]


def test_the_same_picture_for_two_items_fails_and_a_new_one_passes(monkeypatch: pytest.MonkeyPatch) -> None:
    only_checks(monkeypatch, "reused_evidence")
    customer, _ = applicant("reuse-e@example.com")
    app = draft(customer)
    upload(app, customer, "id_front", picture("id_front_genuine.jpg"))
    upload(app, customer, "id_back", picture("id_front_genuine.jpg"))
    upload(app, customer, "handheld", picture("handheld_genuine.jpg"))
    services.run_checks(app.pk)
    assert sorted(_stored(app, "reused_evidence")) == [
        ("handheld", "pass", "new"), ("id_back", "fail", "same_image_twice"),
        ("id_front", "fail", "same_image_twice")]


def test_the_registered_email_passes_and_someone_elses_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    only_checks(monkeypatch, "account_contact")
    customer, _ = applicant("contact-a@example.com")
    app = draft(customer)
    services.run_checks(app.pk)
    assert _stored(app, "account_contact") == [("", "pass", "registered")]
    UnlockApplication.objects.filter(pk=app.pk).update(account_reference="nobody@example.com")
    services.run_checks(app.pk)
    assert _stored(app, "account_contact") == [("", "fail", "not_registered")]


def test_transactions_are_looked_up_on_the_account(monkeypatch: pytest.MonkeyPatch) -> None:
    only_checks(monkeypatch, "transactions")
    customer, account = applicant("tx-a@example.com")
    when = timezone.now() - timedelta(days=3)
    Transaction.objects.create(account=account, tx_id="T-1001", tx_hash="0xabc", occurred_at=when,
                               kind="withdrawal", asset="USDT", amount=Decimal("-250"))
    app = draft(customer)
    UnlockApplication.objects.filter(pk=app.pk).update(transactions=[
        {"tx_id": "T-1001", "amount": "250", "occurred": timezone.localdate(when).isoformat()},
        {"tx_id": "0xabc", "amount": "900"},
        {"tx_id": "T-9999"},
    ])
    services.run_checks(app.pk)
    assert _stored(app, "transactions") == [("", "pass", "match"), ("", "warn", "details_differ"),
                                            ("", "fail", "not_found")]


@pytest.mark.parametrize(("written", "verdict"), [
    ("2026-03-09", "match"),  # the local day of 23:50 Shanghai
    ("2026-03-10", "match"),  # a day later: the applicant's own time zone, or memory
    ("2026-03-12", "details_differ"),
    ("2026-03-09 23:00", "match"),
    ("2026-03-07 23:00", "details_differ"),
])
def test_a_day_is_compared_with_the_local_day_of_the_record(written: str, verdict: str) -> None:
    recorded = Transaction(tx_id="T-1", kind="withdrawal", asset="USDT", amount=Decimal("-5"),
                           occurred_at=datetime(2026, 3, 9, 15, 50, tzinfo=UTC))  # 23:50 in Shanghai
    assert judge_row({"tx_id": "T-1", "occurred": written}, recorded).reason_code == verdict


@pytest.mark.parametrize(("asset", "verdict"), [("USDT", "match"), ("usdt", "match"), ("", "match"),
                                              ("BTC", "details_differ")])
def test_the_currency_typed_is_compared_with_the_record(asset: str, verdict: str) -> None:
    recorded = Transaction(tx_id="T-2", kind="withdrawal", asset="USDT", amount=Decimal("-250"),
                           occurred_at=datetime(2026, 3, 9, 15, 50, tzinfo=UTC))
    assert judge_row({"tx_id": "T-2", "amount": "250", "asset": asset}, recorded).reason_code == verdict


def test_a_name_other_than_the_kyc_record_fails_the_kyc_match(monkeypatch: pytest.MonkeyPatch) -> None:
    only_checks(monkeypatch, "id_number", "kyc_match")
    customer, _ = applicant("kyc-a@example.com")
    app = draft(customer, name="李娜")
    services.run_checks(app.pk)
    assert _stored(app, "id_number") == [("", "pass", "valid")]
    [row] = CheckResult.objects.filter(application=app, check_name="kyc_match")
    assert (row.status, row.reason_code) == ("fail", "name_mismatch")
    assert "李娜" not in row.detail, "reviewers see masked names only"


def test_a_check_that_raises_is_stored_as_not_available_and_the_others_still_run(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(context: CheckContext) -> list[Result]:
        raise RuntimeError("boom")

    checks = registry.registered()
    monkeypatch.setattr(registry, "_CHECKS", {"broken": broken, "id_number": checks["id_number"]})
    customer, _ = applicant("broken-a@example.com")
    app = draft(customer)
    services.run_checks(app.pk)
    assert _stored(app, "broken") == [("", "not_available", "check_error")]
    assert _stored(app, "id_number") == [("", "pass", "valid")]


def test_running_again_replaces_the_results(monkeypatch: pytest.MonkeyPatch) -> None:
    only_checks(monkeypatch, "id_number")
    customer, _ = applicant("again-a@example.com")
    app = draft(customer)
    services.run_checks(app.pk)
    services.run_checks(app.pk)
    assert CheckResult.objects.filter(application=app).count() == 1


def _store(app: UnlockApplication, *rows: tuple[str, str, str, str]) -> None:
    evidence = {e.kind: e for e in app.evidence.all()}
    CheckResult.objects.bulk_create([
        CheckResult(application=app, evidence=evidence.get(kind), check_name=check, status=status,
                    reason_code=reason, message_en=f"{check} {reason}", message_zh=f"{check}:{reason}",
                    run_id="t")
        for kind, check, status, reason in rows])


def test_risk_score_adds_failures_and_warnings_and_is_capped() -> None:
    customer, _ = applicant("risk-a@example.com")
    app = draft(customer)
    _store(app, ("", "kyc_match", "fail", "mismatch"), ("", "exif", "warn", "edited"),
           ("", "face_match", "not_available", "model_missing"))
    score = selectors.risk_score(app)
    assert score.score == 50 and "kyc_match:fail:mismatch" in score.factors
    assert selectors.is_high_risk_score(score)
    _store(app, ("", "reused_evidence", "fail", "reused_other_account"),
           ("", "face_match", "fail", "different_person"))
    assert selectors.risk_score(app).score == 100


def test_retakes_group_fixable_failures_by_picture() -> None:
    customer, _ = applicant("retake-a@example.com")
    app = draft(customer)
    upload(app, customer, "handheld", picture("handheld_genuine.jpg"))
    _store(app, ("handheld", "handheld_note", "fail", "date_wrong"),
           ("handheld", "image_quality", "fail", "blurry"), ("handheld", "exif", "warn", "edited"))
    [retake] = selectors.retakes(app)
    assert retake.kind == "handheld"
    assert retake.reasons == ("handheld_note:date_wrong", "image_quality:blurry")
    assert "date_wrong" in retake.message_en and "blurry" in retake.message_en


def test_no_retakes_when_a_failure_needs_a_reviewer() -> None:
    customer, _ = applicant("retake-b@example.com")
    app = draft(customer)
    upload(app, customer, "handheld", picture("handheld_genuine.jpg"))
    _store(app, ("handheld", "handheld_note", "fail", "date_wrong"),
           ("handheld", "face_match", "fail", "different_person"))
    assert selectors.retakes(app) == []


def test_status_values_are_the_four_of_the_issue() -> None:
    assert {s.value for s in Status} == {"pass", "warn", "fail", "not_available"}


def test_a_run_leaves_no_decoded_picture_in_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    from unlockdesk.verification.checks import analysis

    only_checks(monkeypatch, "image_quality")
    customer, _ = applicant("memory-a@example.com")
    app = draft(customer)
    upload(app, customer, "id_back", picture("id_back_valid.jpg"))
    services.run_checks(app.pk)
    assert _stored(app, "image_quality") == [("id_back", "pass", "ok")]
    assert not analysis._cache


def test_the_registered_phone_passes_and_another_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    only_checks(monkeypatch, "account_contact")
    customer, account = applicant("contact-b@example.com")
    ExchangeAccount.objects.filter(pk=account.pk).update(phone="+8613800138000")
    app = draft(customer)
    UnlockApplication.objects.filter(pk=app.pk).update(account_reference="138 0013 8000")
    services.run_checks(app.pk)
    [row] = CheckResult.objects.filter(application=app, check_name="account_contact")
    assert (row.status, row.reason_code) == ("pass", "registered")
    assert "13800138000" not in row.detail, "reviewers see the phone masked"
    UnlockApplication.objects.filter(pk=app.pk).update(account_reference="13900139000")
    services.run_checks(app.pk)
    assert _stored(app, "account_contact") == [("", "fail", "not_registered")]


def test_an_id_number_other_than_the_kyc_record_fails_the_kyc_match(
        monkeypatch: pytest.MonkeyPatch) -> None:
    only_checks(monkeypatch, "kyc_match")
    customer, _ = applicant("kyc-b@example.com")
    app = draft(customer, id_number=OTHER_ID_NUMBER)
    services.run_checks(app.pk)
    [row] = CheckResult.objects.filter(application=app, check_name="kyc_match")
    assert (row.status, row.reason_code) == ("fail", "id_number_mismatch")
    assert OTHER_ID_NUMBER not in row.detail, "reviewers see masked numbers only"


def test_a_card_held_up_without_a_person_fails_face_present(monkeypatch: pytest.MonkeyPatch) -> None:
    only_checks(monkeypatch, "face_present", "face_match")
    customer, _ = applicant("face-a@example.com")
    app = draft(customer)
    upload(app, customer, "id_front", picture("id_front_genuine.jpg"))
    upload(app, customer, "handheld", picture("handheld_card_only.jpg"))
    services.run_checks(app.pk)
    assert _stored(app, "face_present") == [("handheld", "fail", "no_face")]
    assert _stored(app, "face_match") == [("handheld", "not_available", "no_face")]
    upload(app, customer, "handheld", picture("handheld_card_portrait.jpg"))
    services.run_checks(app.pk)
    assert _stored(app, "face_present") == [("handheld", "pass", "face_found")]
    assert _stored(app, "face_match") == [("handheld", "pass", "same_person")]
