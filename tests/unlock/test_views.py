"""The wizard, status page and reviewer screen over HTTP: access rules, uploads, audit."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from tests.factories import VALID_ID_NUMBERS, make_agent, receive_one
from tests.helpers import console_login, portal_login
from tests.unlock import images
from tests.unlock.builders import customer_for, locked_account, submitted
from unlockdesk.safety.models import AuditEntry
from unlockdesk.staff.models import Role
from unlockdesk.unlock.models import Evidence, UnlockApplication

pytestmark = pytest.mark.django_db
XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


def _signed_in(email: str) -> Client:
    locked_account(email=email)
    return portal_login(Client(), email)


def _through_account_step(client: Client) -> UnlockApplication:
    client.get("/portal/unlock/")
    response = client.post("/portal/unlock/step/1/", {
        "reference": "whatever", "kyc_name": "张伟", "id_number": VALID_ID_NUMBERS[0]})
    assert response.status_code == 302, response.content[:300]
    return UnlockApplication.objects.get()


def test_start_requires_the_one_time_code_sign_in() -> None:
    response = Client().get("/portal/unlock/")
    assert response.status_code == 302 and response["Location"].startswith("/portal/signin/")


def test_wrong_id_number_shows_a_clear_error_on_the_account_step() -> None:
    client = _signed_in("v1@example.com")
    client.get("/portal/unlock/")
    response = client.post("/portal/unlock/step/1/", {"reference": "x", "kyc_name": "张伟",
                                                      "id_number": "110105194912310021"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "check digit" in text or "校验码" in text
    assert UnlockApplication.objects.get().id_number == ""


def test_account_step_shows_the_ticket_number_for_the_note() -> None:
    client = _signed_in("v2@example.com")
    application = _through_account_step(client)
    client.post("/portal/unlock/step/2/", {"lock_reason": "risk_control", "blocked": ["login"]})
    page = client.get("/portal/unlock/step/3/").content.decode()
    assert application.ticket.number in page
    assert "仅用于欧易账户解锁" in page


def test_xhr_upload_returns_the_new_file_and_stores_it() -> None:
    client = _signed_in("v3@example.com")
    _through_account_step(client)
    response = client.post("/portal/unlock/upload/", {
        "kind": "id_front", "file": SimpleUploadedFile("front.jpg", images.photo_jpeg("front"))}, **XHR)
    assert response.status_code == 200 and response.json()["ok"]
    assert Evidence.objects.filter(kind="id_front").count() == 1


@pytest.mark.parametrize(("content", "words"), [
    (images.disguised_executable(), ("JPEG", "照片")),
    (images.bomb_png(), ("pixels", "像素")),
    (images.truncated_jpeg(), ("damaged", "损坏")),
    (b"", ("empty", "为空")),
])
def test_bad_upload_gets_its_message_and_stores_nothing(content: bytes, words: tuple[str, str]) -> None:
    client = _signed_in("v4@example.com")
    _through_account_step(client)
    response = client.post("/portal/unlock/upload/", {
        "kind": "handheld", "file": SimpleUploadedFile("photo.jpg", content)}, **XHR)
    assert response.status_code == 400
    error = response.json()["error"]
    assert any(w in error for w in words), error
    assert not Evidence.objects.exists()


def test_oversized_upload_is_refused_by_size(settings) -> None:  # type: ignore[no-untyped-def]
    settings.UNLOCKDESK_EVIDENCE_MAX_BYTES = 20_000
    client = _signed_in("v5@example.com")
    _through_account_step(client)
    response = client.post("/portal/unlock/upload/", {
        "kind": "handheld", "file": SimpleUploadedFile("big.jpg", images.oversized_jpeg(20_000))}, **XHR)
    assert response.status_code == 400 and not Evidence.objects.exists()


def test_another_customer_cannot_see_the_status_or_the_files() -> None:
    locked_account(email="owner@example.com")
    application = submitted(customer_for("owner@example.com"))
    evidence = application.evidence.first()
    stranger = _signed_in("stranger@example.com")
    number = application.ticket.number
    assert stranger.get(f"/portal/unlock/status/{number}/").status_code == 404
    assert stranger.get(f"/portal/unlock/evidence/{evidence.pk}/preview/").status_code == 404
    assert stranger.post(f"/portal/unlock/evidence/{evidence.pk}/remove/").status_code == 404
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_guessed_ticket_number_finds_nothing() -> None:
    client = _signed_in("guess@example.com")
    assert client.get("/portal/unlock/status/UD-7K3F9X/").status_code == 404
    assert client.get("/portal/unlock/status/not-a-number/").status_code == 404


def test_owner_sees_the_status_by_ticket_number_after_signing_in() -> None:
    locked_account(email="own@example.com")
    application = submitted(customer_for("own@example.com"))
    anonymous = Client().get(f"/portal/unlock/status/{application.ticket.number}/")
    assert anonymous.status_code == 302
    client = portal_login(Client(), "own@example.com")
    page = client.get(f"/portal/unlock/status/{application.ticket.number.lower()}/")
    assert page.status_code == 200 and 'data-status="in_review"' in page.content.decode()


def test_customer_preview_has_no_metadata_and_is_audited() -> None:
    locked_account(email="pv@example.com")
    application = submitted(customer_for("pv@example.com"))
    evidence = application.evidence.get(kind="handheld")
    client = portal_login(Client(), "pv@example.com")
    response = client.get(f"/portal/unlock/evidence/{evidence.pk}/preview/")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert b"Exif" not in response.content and b"TestPhone" not in response.content
    assert AuditEntry.objects.filter(action="evidence.view", target=f"evidence:{evidence.pk}").exists()


def test_agent_without_reviewer_role_is_refused_everywhere() -> None:
    locked_account(email="ag@example.com")
    application = submitted(customer_for("ag@example.com"))
    evidence = application.evidence.first()
    client = console_login(Client(), make_agent(role=Role.AGENT))
    for url in ("/console/unlock/", f"/console/unlock/{application.pk}/",
                f"/console/unlock/evidence/{evidence.pk}/"):
        assert client.get(url).status_code == 403, url
    decide = client.post(f"/console/unlock/{application.pk}/decide/", {"decision": "approve"})
    assert decide.status_code == 403
    assert client.post(f"/console/unlock/{application.pk}/reveal/", {"why": "x"}).status_code == 403
    application.refresh_from_db()
    assert application.status == "in_review"
    assert not AuditEntry.objects.filter(action="evidence.view").exists()


def test_customer_session_does_not_open_the_reviewer_screen() -> None:
    locked_account(email="cs@example.com")
    application = submitted(customer_for("cs@example.com"))
    client = portal_login(Client(), "cs@example.com")
    response = client.get(f"/console/unlock/{application.pk}/")
    assert response.status_code == 302 and "/console/login/" in response["Location"]


def test_reviewer_opens_the_original_and_the_view_is_audited() -> None:
    locked_account(email="rv@example.com")
    application = submitted(customer_for("rv@example.com"))
    evidence = application.evidence.get(kind="id_front")
    client = console_login(Client(), make_agent(role=Role.REVIEWER, agent_number="R0101"))
    page = client.get(f"/console/unlock/{application.pk}/").content.decode()
    assert application.kyc_name_masked in page and "张伟" not in page
    response = client.get(f"/console/unlock/evidence/{evidence.pk}/")
    with evidence.file.open("rb") as handle:
        assert response.content == handle.read()
    assert response["Cache-Control"] == "private, no-store"
    entry = AuditEntry.objects.get(action="evidence.view", target=f"evidence:{evidence.pk}")
    assert entry.actor == "agent:R0101" and entry.details["form"] == "original"


def test_reveal_shows_full_values_once_and_is_audited() -> None:
    locked_account(email="rl@example.com")
    application = submitted(customer_for("rl@example.com"))
    client = console_login(Client(), make_agent(role=Role.REVIEWER))
    response = client.post(f"/console/unlock/{application.pk}/reveal/", {"why": "compare with photo"})
    assert VALID_ID_NUMBERS[0] in response.content.decode()
    assert AuditEntry.objects.filter(action="unlock.kyc_reveal").count() == 1
    assert VALID_ID_NUMBERS[0] not in client.get(f"/console/unlock/{application.pk}/").content.decode()


def test_reviewer_decision_form_requests_one_item() -> None:
    locked_account(email="rd@example.com")
    application = submitted(customer_for("rd@example.com"))
    client = console_login(Client(), make_agent(role=Role.REVIEWER))
    response = client.post(f"/console/unlock/{application.pk}/decide/",
                           {"decision": "request_info", "items": ["handheld"]})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "needs_info" and application.redo_kinds == ["handheld"]


def test_handheld_requirements_show_phrase_date_and_the_customers_ticket_number() -> None:
    client = _signed_in("ex@example.com")
    application = _through_account_step(client)
    client.post("/portal/unlock/step/2/", {"lock_reason": "risk_control"})
    page = client.get("/portal/unlock/step/3/").content.decode()
    overlay = page[page.index('class="note-overlay"'):]
    overlay = overlay[:overlay.index("</div>")]
    assert "仅用于欧易账户解锁" in overlay and application.ticket.number in overlay
    assert timezone.localdate().isoformat() in overlay


def test_draft_resumes_where_the_customer_left_it_on_the_next_visit() -> None:
    client = _signed_in("resume@example.com")
    _through_account_step(client)
    client.post("/portal/unlock/step/2/", {"lock_reason": "risk_control", "blocked": ["login"],
                                           "error_message": "Error 50113"})
    later = portal_login(Client(), "resume@example.com")
    response = later.get("/portal/unlock/")
    assert response.status_code == 302 and response["Location"] == "/portal/unlock/step/3/"
    page = later.get("/portal/unlock/step/2/").content.decode()
    assert "Error 50113" in page
    assert later.get("/portal/unlock/step/1/").context["form"].initial["kyc_name"] == "张伟"
    assert UnlockApplication.objects.count() == 1


def test_status_page_gives_a_wait_estimate_while_the_customer_waits() -> None:
    locked_account(email="wait@example.com")
    application = submitted(customer_for("wait@example.com"))
    client = portal_login(Client(), "wait@example.com")
    page = client.get(f"/portal/unlock/status/{application.ticket.number}/").content.decode()
    assert 'id="wait-estimate"' in page
    assert "too few recent decisions" in page or "太少" in page


def test_upload_box_states_the_configured_size_limit(settings) -> None:  # type: ignore[no-untyped-def]
    settings.UNLOCKDESK_EVIDENCE_MAX_BYTES = 5 * 1024 * 1024
    client = _signed_in("limit@example.com")
    _through_account_step(client)
    client.post("/portal/unlock/step/2/", {"lock_reason": "risk_control", "blocked": ["login"]})
    page = client.get("/portal/unlock/step/3/").content.decode()
    assert f'data-max-bytes="{5 * 1024 * 1024}"' in page
    assert "5 MB" in page and "10 MB" not in page


def test_reviewer_screen_puts_evidence_in_wizard_order_beside_history_and_checks() -> None:
    import re
    from decimal import Decimal

    from unlockdesk.accounts.models import Transaction

    account = locked_account(email="one@example.com")
    Transaction.objects.create(account=account, tx_id="T77120", kind="withdrawal", asset="USDT",
                               amount=Decimal("1250"), occurred_at=timezone.now())
    application = submitted(customer_for("one@example.com"))
    client = console_login(Client(), make_agent(role=Role.REVIEWER))
    page = client.get(f"/console/unlock/{application.pk}/").content.decode()
    shown = re.findall(r'<figure class="viewer" data-kind="(\w+)"', page)
    assert shown == ["id_front", "id_back", "handheld"]
    panel = page[page.index('id="account-panel"'):]
    assert "Risk control" in panel or "风控" in panel
    assert "T77120" in panel
    assert 'data-check="kyc_match" data-status="pass"' in page


def test_queue_marks_a_high_risk_case_waiting_for_its_second_reviewer() -> None:
    from unlockdesk.unlock import services

    locked_account(email="hr@example.com", balance=90_000)
    application = submitted(customer_for("hr@example.com"))
    first = make_agent(role=Role.REVIEWER)
    services.approve(application, reviewer=first)
    mine = console_login(Client(HTTP_ACCEPT_LANGUAGE="en"), first).get("/console/unlock/").content.decode()
    assert "You approved: another reviewer must confirm" in mine
    other = console_login(Client(HTTP_ACCEPT_LANGUAGE="en"), make_agent(role=Role.REVIEWER))
    assert "Awaiting a second reviewer" in other.get("/console/unlock/").content.decode()
    page = other.get(f"/console/unlock/{application.pk}/").content.decode()
    assert "Large balance" in page and "large_balance</span>" not in page


def test_notes_typed_on_the_last_step_are_kept_when_the_customer_submits_at_once() -> None:
    from django.test import TestCase

    from tests.unlock.builders import filled_draft
    from unlockdesk.unlock import services
    from unlockdesk.unlock.types import Step

    locked_account(email="notes@example.com")
    application = filled_draft(customer_for("notes@example.com"))
    services.advance(application, Step.OTHER)
    client = portal_login(Client(), "notes@example.com")
    page = client.get("/portal/unlock/step/5/").content.decode()
    assert 'form="step-form"' in page and 'id="step-form"' in page, "the button sends the notes"
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post("/portal/unlock/submit/", {"notes": "OTC chat with the buyer, 20 Nov"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.other_notes == "OTC chat with the buyer, 20 Nov"
    assert application.status == "in_review"


def test_redo_of_a_several_file_kind_takes_several_files_and_a_photo_kind_one() -> None:
    import re

    from unlockdesk.unlock import services

    locked_account(email="redo@example.com")
    application = submitted(customer_for("redo@example.com"))
    services.request_info(application, reviewer=make_agent(role=Role.REVIEWER),
                          items=["transaction_record", "handheld"], reasons=[])
    client = portal_login(Client(), "redo@example.com")
    page = client.get(f"/portal/unlock/status/{application.ticket.number}/").content.decode()
    file_input = r'<input type="file"[^>]*id="file-(\w+)"[^>]*>'
    inputs = {m.group(1): m.group(0) for m in re.finditer(file_input, page)}
    assert set(inputs) == {"transaction_record", "handheld"}
    assert " multiple" in inputs["transaction_record"] and " multiple" not in inputs["handheld"]


def test_moving_to_another_step_from_the_step_list_saves_the_current_step_first() -> None:
    client = _signed_in("nav@example.com")
    application = _through_account_step(client)
    page = client.get("/portal/unlock/step/2/").content.decode()
    assert 'form="step-form" name="goto" value="1"' in page and 'id="step-form"' in page
    response = client.post("/portal/unlock/step/2/", {"lock_reason": "risk_control", "blocked": ["trade"],
                                                      "error_message": "Error 50113", "goto": "1"})
    assert response.status_code == 302 and response["Location"] == "/portal/unlock/step/1/"
    application.refresh_from_db()
    assert application.error_message == "Error 50113" and application.blocked == ["trade"]
    assert client.post("/portal/unlock/step/1/", {
        "reference": "whatever", "kyc_name": "张伟", "id_number": VALID_ID_NUMBERS[0], "goto": "5",
    })["Location"] == "/portal/unlock/step/3/", "never past the furthest step reached"


def _tx_rows(*rows: dict[str, str]) -> dict[str, str]:
    data = {"tx-TOTAL_FORMS": str(len(rows)), "tx-INITIAL_FORMS": "0", "tx-MIN_NUM_FORMS": "0",
            "tx-MAX_NUM_FORMS": "20"}
    for i, row in enumerate(rows):
        data.update({f"tx-{i}-{key}": value for key, value in row.items()})
    return data


def test_transaction_ids_asked_again_are_typed_on_the_status_page() -> None:
    from unlockdesk.unlock import services

    locked_account(email="txv@example.com")
    application = submitted(customer_for("txv@example.com"))
    services.request_info(application, reviewer=make_agent(role=Role.REVIEWER),
                          items=["transaction_ids"], reasons=[])
    client = portal_login(Client(), "txv@example.com")
    page = client.get(f"/portal/unlock/status/{application.ticket.number}/").content.decode()
    assert 'id="redo-transactions"' in page and 'type="file"' not in page

    bad = client.post("/portal/unlock/redo/transactions/", _tx_rows({"tx_id": "T-1", "amount": "lots"}))
    assert bad.status_code == 400
    application.refresh_from_db()
    assert not application.redo_items[0]["uploaded"]

    good = client.post("/portal/unlock/redo/transactions/", _tx_rows({"tx_id": "T-77", "amount": "3"}))
    assert good.status_code == 302
    application.refresh_from_db()
    assert application.transactions[0]["tx_id"] == "T-77" and application.redo_items[0]["uploaded"]


def test_another_customer_cannot_type_transaction_ids_into_an_application() -> None:
    from unlockdesk.unlock import services

    locked_account(email="txo@example.com")
    application = submitted(customer_for("txo@example.com"))
    services.request_info(application, reviewer=make_agent(role=Role.REVIEWER),
                          items=["transaction_ids"], reasons=[])
    before = UnlockApplication.objects.get(pk=application.pk).transactions
    intruder = _signed_in("txi@example.com")
    response = intruder.post("/portal/unlock/redo/transactions/", _tx_rows({"tx_id": "T-666"}))
    assert response.status_code == 302 and response["Location"] == "/portal/unlock/"
    assert UnlockApplication.objects.get(pk=application.pk).transactions == before
    assert Client().post("/portal/unlock/redo/transactions/", _tx_rows({"tx_id": "T-666"})).status_code == 302
    assert UnlockApplication.objects.get(pk=application.pk).transactions == before


def test_reviewer_can_ask_for_the_typed_transaction_ids_and_reads_it_in_the_history() -> None:
    locked_account(email="rdt@example.com")
    application = submitted(customer_for("rdt@example.com"))
    client = console_login(Client(), make_agent(role=Role.REVIEWER))
    response = client.post(f"/console/unlock/{application.pk}/decide/",
                           {"decision": "request_info", "items": ["transaction_ids"]})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.redo_kinds == ["transaction_ids"]
    page = client.get(f"/console/unlock/{application.pk}/").content.decode()
    history = page[page.rindex('<ul class="timeline">'):]
    history = history[:history.index("</ul>")]
    assert ("Transaction IDs" in history or "交易编号" in history) and "transaction_ids" not in history


def test_customer_with_open_tickets_is_asked_which_case_the_application_is_for() -> None:
    client = _signed_in("two-cases@example.com")
    scam = receive_one(text="遇到假客服诈骗，让我转账", sender="two-cases@example.com", verified=True)
    locked = receive_one(text="我的账户被锁了", subject="账户被锁", sender="two-cases@example.com",
                         verified=True, external_id="locked-1")
    page = client.get("/portal/unlock/")
    body = page.content.decode()
    assert page.status_code == 200 and 'id="choose-ticket"' in body
    assert scam.ticket_number in body and locked.ticket_number in body
    assert not UnlockApplication.objects.exists()

    response = client.get("/portal/unlock/", {"ticket": locked.ticket_number})
    assert response.status_code == 302
    assert UnlockApplication.objects.get().ticket.number == locked.ticket_number
    # Once there is an application, the wizard resumes it without asking again.
    assert client.get("/portal/unlock/").status_code == 302


def test_customer_may_start_a_new_case_instead() -> None:
    client = _signed_in("new-case@example.com")
    receive_one(text="遇到假客服诈骗", sender="new-case@example.com", verified=True)
    assert client.get("/portal/unlock/", {"ticket": "new"}).status_code == 302
    assert UnlockApplication.objects.get().ticket is None
