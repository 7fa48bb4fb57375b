"""The two identity checks issue 5 needs now: ID-number validity and the KYC match."""

import pytest
from stdnum.cn import ric

from tests.factories import VALID_ID_NUMBERS, make_account
from unlockdesk.accounts import services as account_services
from unlockdesk.accounts.identifiers import mask_id_number, mask_name
from unlockdesk.tickets.models import Contact
from unlockdesk.unlock.models import UnlockApplication
from unlockdesk.verification import selectors, services
from unlockdesk.verification.idnumbers import id_number_problem
from unlockdesk.verification.models import CheckResult
from unlockdesk.verification.registry import registered
from unlockdesk.verification.types import Status

pytestmark = pytest.mark.django_db


def _application(*, name: str = "张伟", id_number: str = VALID_ID_NUMBERS[0],
                 account: object | None = None) -> UnlockApplication:
    contact = Contact.objects.create(display_name="applicant")
    return UnlockApplication.objects.create(
        contact=contact, account=account,
        kyc_name=name, kyc_name_hash=account_services.kyc_name_hash(name),
        kyc_name_masked=mask_name(name),
        id_number=id_number, id_number_hash=account_services.id_number_hash(id_number),
        id_number_masked=mask_id_number(id_number),
    )


def _result(application: UnlockApplication, check: str) -> CheckResult:
    return CheckResult.objects.get(application=application, check_name=check)


def test_both_identity_checks_are_registered() -> None:
    assert {"id_number", "kyc_match"} <= set(registered())


def _with_check_digit(first17: str) -> str:
    return first17 + ric.calc_check_digit(first17 + "0")


@pytest.mark.parametrize(("number", "problem"), [
    ("11010519491231002", "length"),
    ("1101051949123100AX", "format"),
    ("110105194912310021", "checksum"),
    (_with_check_digit("11010519491331002"), "birth_date"),
    (_with_check_digit("11010530001231002"), "birth_date"),
    (_with_check_digit("99010519491231002"), "region"),
])
def test_id_number_problem_names_what_is_wrong(number: str, problem: str) -> None:
    assert id_number_problem(number) == problem


def test_valid_id_number_has_no_problem() -> None:
    assert id_number_problem(VALID_ID_NUMBERS[0]) is None
    assert id_number_problem(" 110101199003074477 ") is None


def test_wrong_check_digit_fails_the_id_number_check() -> None:
    application = _application(id_number="110105194912310021")
    services.run_checks(application.pk)
    result = _result(application, "id_number")
    assert (result.status, result.reason_code) == (Status.FAIL, "checksum")
    assert "110105194912310021" not in result.detail
    assert result.message_zh and result.message_en and result.message_zh != result.message_en


def test_matching_name_and_id_number_pass_the_kyc_match() -> None:
    account = make_account(kyc_name="张伟", id_number=VALID_ID_NUMBERS[0])
    application = _application(account=account)
    services.run_checks(application.pk)
    assert _result(application, "kyc_match").status == Status.PASS
    assert _result(application, "id_number").status == Status.PASS


def test_other_persons_id_number_fails_the_kyc_match_without_showing_it() -> None:
    account = make_account(kyc_name="张伟", id_number=VALID_ID_NUMBERS[0])
    application = _application(account=account, id_number="110101199003074477")
    services.run_checks(application.pk)
    result = _result(application, "kyc_match")
    assert (result.status, result.reason_code) == (Status.FAIL, "id_number_mismatch")
    assert VALID_ID_NUMBERS[0] not in result.detail and "110101199003074477" not in result.detail


def test_kyc_match_is_not_available_without_an_account() -> None:
    application = _application()
    services.run_checks(application.pk)
    assert _result(application, "kyc_match").status == Status.NOT_AVAILABLE


def test_running_checks_again_replaces_previous_results() -> None:
    application = _application()
    services.run_checks(application.pk)
    first = set(CheckResult.objects.filter(application=application).values_list("run_id", flat=True))
    services.run_checks(application.pk)
    second = set(CheckResult.objects.filter(application=application).values_list("run_id", flat=True))
    assert len(first) == len(second) == 1 and first != second
    assert CheckResult.objects.filter(application=application, check_name="id_number").count() == 1


def test_failed_check_raises_the_risk_score() -> None:
    account = make_account(kyc_name="张伟", id_number=VALID_ID_NUMBERS[0])
    good = _application(account=account)
    bad = _application(account=account, name="李四")
    services.run_checks(good.pk)
    services.run_checks(bad.pk)
    assert selectors.risk_score(good).score == 0
    assert selectors.risk_score(bad).score >= 40
    assert any(f.startswith("kyc_match:fail") for f in selectors.risk_score(bad).factors)


def test_a_check_that_raises_is_stored_as_not_available(monkeypatch: pytest.MonkeyPatch) -> None:
    from unlockdesk.verification import registry

    def broken(context: object) -> list[object]:
        raise RuntimeError("boom")

    monkeypatch.setitem(registry._CHECKS, "broken_for_test", broken)  # beside the identity checks
    application = _application()
    services.run_checks(application.pk)
    result = _result(application, "broken_for_test")
    assert (result.status, result.reason_code) == (Status.NOT_AVAILABLE, "check_error")
    assert _result(application, "id_number").status == Status.PASS


def test_an_unknown_region_code_is_a_warning_for_the_reviewer_not_a_failure() -> None:
    application = _application(id_number=_with_check_digit("99010519491231002"))
    services.run_checks(application.pk)
    result = _result(application, "id_number")
    assert (result.status, result.reason_code) == (Status.WARN, "region")
    assert "region code" in result.detail and "990105" not in result.detail
