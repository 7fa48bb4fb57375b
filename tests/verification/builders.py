"""Applications with real pictures, for the tests that run the registered checks."""

from datetime import datetime

import pytest
from django.test import TestCase
from django.utils import timezone

from tests.unlock.builders import customer_for, locked_account
from tests.verification import pictures
from tests.verification.conftest import picture
from unlockdesk.accounts.models import ExchangeAccount
from unlockdesk.accounts.types import LockReason
from unlockdesk.tickets.customer_session import Customer
from unlockdesk.unlock import services
from unlockdesk.unlock.models import UnlockApplication


def only_checks(monkeypatch: pytest.MonkeyPatch, *names: str) -> None:
    """Run only these registered checks (the others are tested on their own)."""
    from unlockdesk.verification import registry

    checks = registry.registered()
    monkeypatch.setattr(registry, "_CHECKS", {name: checks[name] for name in names})


def applicant(email: str, **account: object) -> tuple[Customer, ExchangeAccount]:
    created = locked_account(email=email, kyc_name=pictures.NAME, id_number=pictures.ID_NUMBER,
                             **account)  # type: ignore[arg-type]
    return customer_for(email), created


def draft(customer: Customer, *, name: str = pictures.NAME, id_number: str = pictures.ID_NUMBER,
          reference: str = "") -> UnlockApplication:
    """Steps 1 and 2 filled, so the ticket (and its number for the note) exists; no pictures."""
    app = services.start_or_resume(customer)
    app = services.save_account_step(app, customer, reference=reference or customer.identity_value,
                                     kyc_name=name, id_number=id_number)
    return services.save_problem_step(app, lock_reason=LockReason.RISK_CONTROL, happened_at=None,
                                      blocked=["login"], error_message="", stolen_reported=False)


def now_in_shanghai() -> datetime:
    return timezone.localtime(timezone.now(), timezone.get_fixed_timezone(8 * 60)).replace(tzinfo=None)


def handheld_for(app: UnlockApplication, *, date_text: str = "", who: str = "astronaut") -> bytes:
    """A handheld photo made now for this application: its ticket number, `date_text` (default
    today in the customer's zone) and a camera capture time of now."""
    taken = now_in_shanghai()
    assert app.ticket is not None
    note = pictures.Note(date=date_text or taken.date().isoformat(), ticket=app.ticket.number)
    return pictures.photo(pictures.handheld(note, who=who), captured=taken)


def upload(app: UnlockApplication, customer: Customer, kind: str, content: bytes) -> None:
    services.add_evidence(app, kind=kind, filename=f"{kind}.jpg", content=content, actor=customer.actor)


def upload_cards(app: UnlockApplication, customer: Customer) -> None:
    upload(app, customer, "id_front", picture("id_front_genuine.jpg"))
    upload(app, customer, "id_back", picture("id_back_valid.jpg"))


def submit(app: UnlockApplication, customer: Customer) -> UnlockApplication:
    """Submit and let the checks run (Celery is eager in tests; it starts after commit)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.submit(app, actor=customer.actor)
    app.refresh_from_db()
    return app
