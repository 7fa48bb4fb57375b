"""Unlock pages refuse everyone but the owner and reviewers; bad files are refused in the
browser with their own message and nothing is stored."""

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from tests.factories import VALID_ID_NUMBERS, make_agent
from tests.helpers import browser_console_login, browser_portal_login
from tests.unlock import images
from tests.unlock.builders import customer_for, identity_checks_only, locked_account, submitted
from unlockdesk.accounts.types import LockReason
from unlockdesk.staff.models import Role
from unlockdesk.unlock import services
from unlockdesk.unlock.models import Evidence

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def only_identity_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    identity_checks_only(monkeypatch)


def test_unlock_status_is_refused_to_another_customer_and_to_a_guessed_number(
        live_server: Any, new_page: Any) -> None:
    locked_account(email="owner@example.com")
    application = submitted(customer_for("owner@example.com"))
    evidence = application.evidence.first()
    number = application.ticket.number
    base = live_server.url

    anonymous = new_page("en-US")
    anonymous.goto(f"{base}/portal/unlock/status/{number}/")
    assert "/portal/signin/" in anonymous.url

    locked_account(email="other@example.com")
    stranger = new_page("en-US")
    browser_portal_login(stranger, base, "other@example.com")
    assert stranger.goto(f"{base}/portal/unlock/status/{number}/").status == 404
    assert stranger.goto(f"{base}/portal/unlock/evidence/{evidence.pk}/preview/").status == 404
    assert stranger.goto(f"{base}/portal/unlock/status/UD-7K3F9X/").status == 404
    assert number not in stranger.goto(f"{base}/portal/").text()

    owner = new_page("en-US")
    browser_portal_login(owner, base, "owner@example.com")
    owner.goto(f"{base}/portal/unlock/status/{number}/")
    assert owner.get_attribute("#unlock-status", "data-status") == "in_review"


def test_unlock_review_is_refused_to_an_agent_without_the_reviewer_role(live_server: Any,
                                                                        new_page: Any) -> None:
    locked_account(email="case@example.com", reason=LockReason.SUSPICIOUS_LOGIN)
    application = submitted(customer_for("case@example.com"))
    evidence = application.evidence.first()
    agent = make_agent(role=Role.AGENT)
    base = live_server.url
    page = new_page("en-US")
    browser_console_login(page, base, agent)
    assert page.goto(f"{base}/console/").status == 200
    assert page.locator("a[href='/console/unlock/']").count() == 0
    for url in ("/console/unlock/", f"/console/unlock/{application.pk}/",
                f"/console/unlock/evidence/{evidence.pk}/"):
        assert page.goto(f"{base}{url}").status == 403, url


def test_unlock_bad_files_are_each_refused_with_their_message_and_nothing_stored(
        live_server: Any, new_page: Any, tmp_path: Path) -> None:
    locked_account(email="files@example.com")
    customer = customer_for("files@example.com")
    draft = services.start_or_resume(customer)
    draft = services.save_account_step(draft, customer, reference="files@example.com", kyc_name="张伟",
                                       id_number=VALID_ID_NUMBERS[0])
    services.save_problem_step(draft, lock_reason="", happened_at=None, blocked=["login"],
                               error_message="", stolen_reported=False)
    limit = settings.UNLOCKDESK_EVIDENCE_MAX_BYTES
    bad = {
        "renamed-program.jpg": (images.disguised_executable(), "not a JPEG, PNG, HEIC photo or a PDF"),
        "bomb.png": (images.bomb_png(), "too large in pixels"),
        "cut-off.jpg": (images.truncated_jpeg(), "damaged or incomplete"),
        "huge.jpg": (images.oversized_jpeg(limit), "larger than"),
        "empty.jpg": (b"", "empty"),
    }
    base = live_server.url
    page = new_page("en-US")
    browser_portal_login(page, base, "files@example.com")
    page.goto(f"{base}/portal/unlock/step/3/")
    error = page.locator(".upload[data-kind=handheld] .upload-error")
    for name, (content, message) in bad.items():
        path = tmp_path / name
        path.write_bytes(content)
        page.set_input_files("#file-handheld", str(path))
        page.wait_for_function(
            "([sel, name]) => document.querySelector(sel).textContent.includes(name)",
            arg=[".upload[data-kind=handheld] .upload-error", name])
        assert message in error.inner_text(), (name, error.inner_text())
    assert not Evidence.objects.exists()
    private = Path(settings.UNLOCKDESK_PRIVATE_FILES)
    assert not private.exists() or not [p for p in private.rglob("*") if p.is_file()]
