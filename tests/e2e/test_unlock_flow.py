"""The unlock application end to end, in Chromium: a locked-out customer applies with real
image files, a reviewer asks for one item again, the customer re-uploads it, two reviewers
approve the high-risk case, the restrictions are lifted and the customer sees it."""

from pathlib import Path
from typing import Any

import pytest

from tests.factories import VALID_ID_NUMBERS, make_account, make_agent
from tests.helpers import browser_console_login, browser_portal_login
from tests.unlock import images
from tests.unlock.builders import default_reason_templates, identity_checks_only
from unlockdesk.accounts.models import AccountLock
from unlockdesk.accounts.types import LockReason, Restriction
from unlockdesk.staff.models import Role
from unlockdesk.unlock.models import Evidence, UnlockApplication

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def only_identity_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    identity_checks_only(monkeypatch)


@pytest.fixture(autouse=True)
def reason_templates() -> None:
    default_reason_templates()


def _files(folder: Path) -> dict[str, Path]:
    made = {
        "screenshot.png": images.screenshot_png("Error 50113: account locked"),
        "id-front.jpg": images.photo_jpeg("ID FRONT", color="#dbeafe"),
        "id-back.heic": images.photo_heic((96, 64)),
        "handheld.jpg": images.photo_jpeg("HANDHELD blurry", color="#fde68a"),
        "handheld-retake.jpg": images.photo_jpeg("HANDHELD sharp", color="#bbf7d0"),
        "statement.pdf": images.statement_pdf(),
        "trade.png": images.screenshot_png("Withdrawal 1250 USDT"),
        "not-a-photo.jpg": images.disguised_executable(),
    }
    paths = {}
    for name, data in made.items():
        path = folder / name
        path.write_bytes(data)
        paths[name] = path
    return paths


def _upload(page: Any, kind: str, path: Path, expect_files: int = 1) -> None:
    page.set_input_files(f"#file-{kind}", str(path))
    page.wait_for_function(
        "([kind, n]) => document.querySelectorAll(`#files-${kind} li.file`).length >= n",
        arg=[kind, expect_files])


def _decide(page: Any, decision: str, *, items: tuple[str, ...] = (), reasons: tuple[str, ...] = ()) -> None:
    page.check(f"#decision-form input[name=decision][value={decision}]")
    for item in items:
        page.check(f"#decision-form input[name=items][value={item}]")
    for code in reasons:
        page.check(f"#decision-form input[name=reasons][data-code={code}]")
    page.click("#decision-form button[type=submit]")
    page.wait_for_selector("#review-status")


def test_unlock_application_from_wizard_to_lifted_restrictions(live_server: Any, new_page: Any,
                                                                tmp_path: Path) -> None:
    account = make_account(email="locked@example.com", lock=LockReason.STOLEN_REPORT,
                           restrictions=[Restriction.LOGIN, Restriction.WITHDRAW])
    first = make_agent(role=Role.REVIEWER, agent_number="R1001")
    second = make_agent(role=Role.REVIEWER, agent_number="R1002")
    files = _files(tmp_path)
    base = live_server.url

    customer = new_page("en-US")
    browser_portal_login(customer, base, "locked@example.com")
    customer.click("#start-unlock")
    customer.wait_for_url(f"{base}/portal/unlock/step/1/")
    assert customer.input_value("#id_reference") == account.uid
    customer.fill("#id_kyc_name", "张伟")
    customer.fill("#id_id_number", "110105194912310021")
    customer.click("main form[novalidate] button[type=submit]")
    assert "check digit" in customer.inner_text(".errorlist")
    customer.fill("#id_id_number", VALID_ID_NUMBERS[0])
    customer.click("main form[novalidate] button[type=submit]")

    customer.wait_for_url(f"{base}/portal/unlock/step/2/")
    assert "Reported as stolen" in customer.inner_text(".card.lock")
    customer.check("input[name=lock_reason][value=stolen_report]")
    customer.check("input[name=blocked][value=login]")
    customer.check("input[name=blocked][value=withdraw]")
    customer.fill("#id_error_message", "Error 50113 when I log in")
    _upload(customer, "problem_screenshot", files["screenshot.png"])
    assert customer.locator(".upload[data-kind=problem_screenshot] progress").get_attribute("value") == "100"
    customer.click("#step-save")

    customer.wait_for_url(f"{base}/portal/unlock/step/3/")
    number = customer.inner_text("#ticket-number")
    assert customer.inner_text("#note-number") == number
    assert "仅用于欧易账户解锁" in customer.inner_text("#note-phrase")
    customer.set_input_files("#file-handheld", str(files["not-a-photo.jpg"]))
    error = customer.locator(".upload[data-kind=handheld] .upload-error")
    error.wait_for(state="visible")
    assert "not a JPEG, PNG, HEIC photo or a PDF" in error.inner_text()
    assert not Evidence.objects.filter(kind="handheld").exists()
    _upload(customer, "id_front", files["id-front.jpg"])
    _upload(customer, "id_back", files["id-back.heic"])
    _upload(customer, "handheld", files["handheld.jpg"])
    customer.click("form.card button:not([name=back])")

    customer.wait_for_url(f"{base}/portal/unlock/step/4/")
    _upload(customer, "transaction_record", files["trade.png"])
    customer.fill("#id_tx-0-tx_id", "0x9f3ca71e")
    customer.select_option("#id_tx-0-kind", "withdrawal")
    customer.fill("#id_tx-0-amount", "1250")
    customer.fill("#id_tx-0-counterparty", "TQ7x9kPz")
    customer.click("form.card button:not([name=back])")

    customer.wait_for_url(f"{base}/portal/unlock/step/5/")
    _upload(customer, "other_proof", files["statement.pdf"])
    customer.click("#submit-application")
    customer.wait_for_url(f"{base}/portal/unlock/status/{number}/")
    assert customer.get_attribute("#unlock-status", "data-status") == "in_review"

    reviewer = new_page("en-US")
    browser_console_login(reviewer, base, first)
    reviewer.goto(f"{base}/console/unlock/")
    reviewer.click(f"#unlock-queue >> text={number}")
    assert "High risk" in reviewer.inner_text("#review-status")
    assert reviewer.locator(".viewer img.evidence").count() >= 4
    viewer = reviewer.locator(".viewer[data-kind=id_front]")
    viewer.locator("button[data-action=zoom-in]").click()
    viewer.locator("button[data-action=rotate]").click()
    assert "rotate(90deg)" in (viewer.get_attribute("data-transform") or "")
    assert "pass" in reviewer.get_attribute("#checks-panel tr[data-check=kyc_match]", "data-status")
    _decide(reviewer, "request_info", items=("handheld",), reasons=("handheld-note-unreadable",))
    assert reviewer.get_attribute("#review-status", "data-status") == "needs_info"

    customer.reload()
    assert customer.get_attribute("#unlock-status", "data-status") == "needs_info"
    assert customer.locator("#redo .redo-item").count() == 1
    assert "cannot be read" in customer.inner_text("#redo")
    _upload(customer, "handheld", files["handheld-retake.jpg"])
    customer.click("#resubmit")
    customer.wait_for_selector("#unlock-status[data-status=in_review]")
    application = UnlockApplication.objects.get(ticket__number=number)
    assert application.review_round == 2
    assert application.evidence.filter(kind="handheld", superseded_at__isnull=True).count() == 1

    reviewer.goto(f"{base}/console/unlock/{application.pk}/")
    _decide(reviewer, "approve", reasons=("identity-confirmed",))
    assert reviewer.locator("#awaiting-second").is_visible()
    assert AccountLock.objects.filter(account=account, lifted_at__isnull=True).exists()

    confirmer = new_page("en-US")
    browser_console_login(confirmer, base, second)
    confirmer.goto(f"{base}/console/unlock/{application.pk}/")
    _decide(confirmer, "approve")
    assert confirmer.get_attribute("#review-status", "data-status") == "unlocked"
    assert not AccountLock.objects.filter(account=account, lifted_at__isnull=True).exists()

    customer.reload()
    assert customer.get_attribute("#unlock-status", "data-status") == "unlocked"
    customer.goto(f"{base}/portal/")
    assert "Not locked" in customer.inner_text("#lock-status")
    customer.goto(f"{base}/portal/tickets/{number}/")
    assert "Unlocked" in customer.inner_text("#conversation, main")
