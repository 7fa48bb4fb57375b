"""Identity checks that need no image: the ID number's own validity and the KYC match.

The KYC match compares keyed hashes (accounts.services.id_number_hash / kyc_name_hash), so
neither side's plain value is needed or shown; details carry masked forms only.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from unlockdesk.verification.idnumbers import PROBLEMS, WARNINGS, id_number_problem
from unlockdesk.verification.registry import register
from unlockdesk.verification.types import CheckContext, Result, Status

ID_CHECK = "id_number"
KYC_CHECK = "kyc_match"


def _both(message: Promise) -> tuple[str, str]:
    with override("zh-hans"):
        zh = str(message)
    with override("en"):
        en = str(message)
    return zh, en


def _result(check: str, status: Status, code: str, message: Promise, detail: str) -> Result:
    zh, en = _both(message)
    return Result(check=check, status=status, reason_code=code, message_zh=zh, message_en=en,
                  detail=detail)


@register(ID_CHECK)
def id_number_checksum(context: CheckContext) -> list[Result]:
    """Structure, GB 11643 check digit, a real birth date and a known region code."""
    application = context.application
    if not application.id_number:
        return [_result(ID_CHECK, Status.NOT_AVAILABLE, "missing",
                        _("No ID number was given."), "the applicant typed no ID number")]
    today = context.note.date
    problem = id_number_problem(application.id_number, today=today)
    if problem:
        if problem in WARNINGS:  # the code list lags new districts: the reviewer judges
            return [_result(ID_CHECK, Status.WARN, problem, PROBLEMS[problem],
                            f"{application.id_number_masked}: region code not in the code list")]
        return [_result(ID_CHECK, Status.FAIL, problem, PROBLEMS[problem],
                        f"{application.id_number_masked}: {problem}")]
    return [_result(ID_CHECK, Status.PASS, "valid", _("The ID number is well-formed."),
                    f"{application.id_number_masked}: structure, check digit, birth date, region ok")]


@register(KYC_CHECK)
def kyc_match(context: CheckContext) -> list[Result]:
    """Name and ID number typed by the applicant against the account's verified KYC record."""
    application, account = context.application, context.account
    if account is None:
        return [_result(KYC_CHECK, Status.NOT_AVAILABLE, "no_account",
                        _("We could not find the account you named."),
                        f"no account matches {application.account_reference!r}")]
    if not (account.id_number_hash and account.kyc_name_hash):
        return [_result(KYC_CHECK, Status.NOT_AVAILABLE, "no_kyc_record",
                        _("The account has no verified identity on record."),
                        f"UID {account.uid} has no KYC record")]
    id_ok = bool(application.id_number_hash) and application.id_number_hash == account.id_number_hash
    name_ok = bool(application.kyc_name_hash) and application.kyc_name_hash == account.kyc_name_hash
    detail = (
        f"applicant {application.kyc_name_masked} / {application.id_number_masked}; "
        f"account {account.kyc_name_masked} / {account.id_number_masked}; "
        f"name {'matches' if name_ok else 'differs'}, ID number {'matches' if id_ok else 'differs'}"
    )
    if id_ok and name_ok:
        return [_result(KYC_CHECK, Status.PASS, "match",
                        _("Name and ID number match the account's verified identity."), detail)]
    if not id_ok and not name_ok:
        return [_result(KYC_CHECK, Status.FAIL, "mismatch",
                        _("Name and ID number do not match the account's verified identity."),
                        detail)]
    code = "id_number_mismatch" if not id_ok else "name_mismatch"
    message = (_("The ID number does not match the account's verified identity.") if not id_ok
               else _("The name does not match the account's verified identity."))
    return [_result(KYC_CHECK, Status.FAIL, code, message, detail)]
