"""Builders for unlock tests: a signed-in customer's identity, and applications at each stage."""

import importlib

import pytest
from django.apps import apps
from django.test import TestCase

from tests.factories import VALID_ID_NUMBERS, make_account
from tests.unlock import images
from unlockdesk.accounts.models import ExchangeAccount
from unlockdesk.accounts.types import LockReason, Restriction
from unlockdesk.tickets.contacts import resolve_contact
from unlockdesk.tickets.customer_session import Customer
from unlockdesk.tickets.types import IdentityKind, SenderIdentity
from unlockdesk.unlock import services
from unlockdesk.unlock.models import UnlockApplication

IDENTITY_CHECKS = ("id_number", "kyc_match")


def identity_checks_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run the two identity checks only. The image checks (faces, OCR, quality, reuse) have
    their own tests, and these synthetic pictures carry no face or readable note, so those
    checks would decide the risk instead of the case under test."""
    from unlockdesk.verification import registry

    checks = registry.registered()
    monkeypatch.setattr(registry, "_CHECKS", {name: checks[name] for name in IDENTITY_CHECKS})


def default_reason_templates() -> None:
    """Put back the reason templates the data migration creates. Tests with
    `transaction=True` flush every table afterwards, migrated data included, so a browser
    test that runs after one of them would otherwise find no templates to choose."""
    migration = importlib.import_module("unlockdesk.unlock.migrations.0002_reason_templates")
    migration.create(apps, None)


def customer_for(email: str) -> Customer:
    """The Customer a verified one-time code for `email` produces (as the portal does)."""
    contact = resolve_contact(SenderIdentity(IdentityKind.EMAIL, email, verified=True))
    return Customer(contact, contact.account, IdentityKind.EMAIL, email)


def locked_account(*, email: str, balance: int = 1000, reason: LockReason = LockReason.RISK_CONTROL,
                   kyc_name: str = "张伟", id_number: str = VALID_ID_NUMBERS[0]) -> ExchangeAccount:
    account = make_account(email=email, lock=reason, kyc_name=kyc_name, id_number=id_number,
                           restrictions=[Restriction.LOGIN, Restriction.WITHDRAW])
    ExchangeAccount.objects.filter(pk=account.pk).update(balance_usd=balance)
    account.refresh_from_db()
    return account


def filled_draft(customer: Customer, *, name: str = "张伟", id_number: str = VALID_ID_NUMBERS[0],
                 stolen: bool = False) -> UnlockApplication:
    """A draft with every step filled and the three required pictures uploaded."""
    app = services.start_or_resume(customer)
    reference = customer.account.uid if customer.account else "99999999"
    app = services.save_account_step(app, customer, reference=reference, kyc_name=name,
                                     id_number=id_number)
    app = services.save_problem_step(app, lock_reason=LockReason.RISK_CONTROL, happened_at=None,
                                     blocked=["login", "withdraw"], error_message="Error 50113",
                                     stolen_reported=stolen)
    for kind in ("id_front", "id_back", "handheld"):
        services.add_evidence(app, kind=kind, filename=f"{kind}.jpg", content=images.photo_jpeg(kind),
                              actor=customer.actor)
    return app


def submitted(customer: Customer, **kwargs: object) -> UnlockApplication:
    """Submitted and through the checks (Celery runs eagerly after commit): in review."""
    app = filled_draft(customer, **kwargs)  # type: ignore[arg-type]
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.submit(app, actor=customer.actor)
    app.refresh_from_db()
    return app
