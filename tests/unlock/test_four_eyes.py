"""An application naming another account without proof of it always needs two reviewers."""

import pytest
from django.test import TestCase

from tests.factories import VALID_ID_NUMBERS, make_account, make_agent
from tests.unlock import images
from tests.unlock.builders import customer_for, locked_account
from unlockdesk.accounts.models import AccountLock
from unlockdesk.accounts.types import LockReason
from unlockdesk.staff.models import Role
from unlockdesk.unlock import services
from unlockdesk.unlock.exceptions import FourEyesRequired
from unlockdesk.unlock.models import UnlockApplication
from unlockdesk.unlock.types import ApplicationStatus

pytestmark = pytest.mark.django_db


def application_naming(reference: str, *, applicant: str) -> UnlockApplication:
    """An applicant signed in with their own address fills in someone else's UID (and knows
    that person's real name and ID number, as a scammer with a leaked KYC record would)."""
    customer = customer_for(applicant)
    app = services.save_account_step(services.start_or_resume(customer), customer, reference=reference,
                                     kyc_name="张伟", id_number=VALID_ID_NUMBERS[0])
    app = services.save_problem_step(app, lock_reason=LockReason.RISK_CONTROL, happened_at=None,
                                     blocked=["login", "withdraw"], error_message="Error 50113",
                                     stolen_reported=False)
    for kind in ("id_front", "id_back", "handheld"):
        services.add_evidence(app, kind=kind, filename=f"{kind}.jpg", content=images.photo_jpeg(kind),
                              actor=customer.actor)
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.submit(app, actor=customer.actor)
    app.refresh_from_db()
    return app


def test_another_accounts_uid_without_proof_needs_a_second_reviewer() -> None:
    victim = locked_account(email="victim@example.com")
    make_account(email="applicant@example.com")
    app = application_naming(victim.uid, applicant="applicant@example.com")
    assert app.account == victim and not app.account_proven
    assert app.status == ApplicationStatus.IN_REVIEW and app.high_risk
    first, second = make_agent(role=Role.REVIEWER), make_agent(role=Role.REVIEWER)
    services.approve(app, reviewer=first)
    app.refresh_from_db()
    assert app.status == ApplicationStatus.IN_REVIEW
    assert AccountLock.objects.filter(account=victim, lifted_at__isnull=True).exists()
    with pytest.raises(FourEyesRequired):
        services.approve(app, reviewer=first)
    services.approve(app, reviewer=second)
    app.refresh_from_db()
    assert app.status == ApplicationStatus.UNLOCKED


def test_the_rule_holds_even_when_nothing_else_marked_the_case_high_risk() -> None:
    victim = locked_account(email="victim2@example.com")
    app = application_naming(victim.uid, applicant="stranger@example.com")
    UnlockApplication.objects.filter(pk=app.pk).update(high_risk=False)  # e.g. scored before this rule
    services.approve(app, reviewer=make_agent(role=Role.REVIEWER))
    app.refresh_from_db()
    assert app.status == ApplicationStatus.IN_REVIEW
    assert AccountLock.objects.filter(account=victim, lifted_at__isnull=True).exists()


def test_the_applicants_own_account_needs_one_reviewer() -> None:
    own = locked_account(email="owner@example.com")
    app = application_naming(own.uid, applicant="owner@example.com")
    assert app.account_proven and not app.high_risk
    services.approve(app, reviewer=make_agent(role=Role.REVIEWER))
    app.refresh_from_db()
    assert app.status == ApplicationStatus.UNLOCKED
