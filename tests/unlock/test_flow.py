"""The application's life: draft, submission, checks, review, four eyes, unlock, notices."""

from datetime import timedelta

import pytest
from django.test import TestCase
from django.utils import timezone

from tests.factories import make_agent
from tests.unlock import images
from tests.unlock.builders import customer_for, filled_draft, locked_account, submitted
from unlockdesk.accounts import services as account_services
from unlockdesk.accounts.models import AccountLock
from unlockdesk.accounts.types import LockReason, Restriction
from unlockdesk.safety.models import AuditEntry
from unlockdesk.staff.models import Role
from unlockdesk.tickets.models import EventKind, Message, Ticket
from unlockdesk.unlock import services
from unlockdesk.unlock.exceptions import (
    ApplicationIncomplete,
    ApplicationNotEditable,
    FourEyesRequired,
    ReviewNotAllowed,
)
from unlockdesk.unlock.models import ReasonTemplate, UnlockApplication
from unlockdesk.unlock.types import ApplicationStatus

pytestmark = pytest.mark.django_db


def _notices(app: UnlockApplication) -> list[str]:
    return list(Message.objects.filter(ticket=app.ticket, headers__auto__startswith="unlock:")
                .order_by("seq").values_list("body_text", flat=True))


def test_account_step_opens_one_web_ticket_whose_number_goes_on_the_note() -> None:
    locked_account(email="a@example.com")
    customer = customer_for("a@example.com")
    app = filled_draft(customer)
    assert app.ticket is not None and app.ticket.channel == "web"
    assert Ticket.objects.filter(contact=customer.contact).count() == 1
    assert services.start_or_resume(customer).pk == app.pk, "the draft is resumed, not duplicated"


def test_wrong_id_number_is_refused_with_a_clear_reason_and_nothing_saved() -> None:
    locked_account(email="b@example.com")
    customer = customer_for("b@example.com")
    app = services.start_or_resume(customer)
    with pytest.raises(ApplicationIncomplete) as caught:
        services.save_account_step(app, customer, reference="x", kyc_name="张伟",
                                   id_number="110105194912310021")
    assert "check digit" in caught.value.message or "校验码" in caught.value.message
    app.refresh_from_db()
    assert app.id_number == "" and app.ticket is None


def test_submission_without_the_handheld_photo_is_refused_and_changes_nothing() -> None:
    locked_account(email="c@example.com")
    customer = customer_for("c@example.com")
    app = filled_draft(customer)
    app.evidence.filter(kind="handheld").delete()
    with pytest.raises(ApplicationIncomplete) as caught:
        services.submit(app, actor=customer.actor)
    assert caught.value.missing == ["handheld"]
    app.refresh_from_db()
    assert app.status == ApplicationStatus.DRAFT


def test_submission_runs_checks_and_waits_for_review_with_each_step_on_the_timeline() -> None:
    locked_account(email="d@example.com")
    app = submitted(customer_for("d@example.com"))
    assert app.status == ApplicationStatus.IN_REVIEW
    moves = [e.data["new"] for e in app.ticket.events.filter(kind=EventKind.UNLOCK)]
    assert moves == ["submitted", "checking", "in_review"]
    notices = _notices(app)
    assert len(notices) == 3 and app.ticket.number in notices[0]
    assert app.check_results.filter(check_name="kyc_match", status="pass").exists()


def test_wait_estimate_comes_from_recent_decisions() -> None:
    now = timezone.now()
    locked_account(email="e@example.com")
    customer = customer_for("e@example.com")
    for hours in (2, 4, 30):
        UnlockApplication.objects.create(contact=customer.contact, status=ApplicationStatus.REJECTED,
                                         submitted_at=now - timedelta(hours=hours + 1),
                                         decided_at=now - timedelta(hours=1))
    app = submitted(customer)
    first = _notices(app)[0]
    assert "4 hours" in first or "4 小时" in first or "4 个小时" in first, first
    assert "3" in first


def test_wait_estimate_admits_when_there_is_too_little_history() -> None:
    locked_account(email="f@example.com")
    app = submitted(customer_for("f@example.com"))
    assert any("too few" in n or "太少" in n for n in _notices(app)), _notices(app)


def test_reviewer_asks_for_one_item_and_only_that_item_can_be_uploaded_again() -> None:
    locked_account(email="g@example.com")
    customer = customer_for("g@example.com")
    app = submitted(customer)
    reviewer = make_agent(role=Role.REVIEWER)
    reason = ReasonTemplate.objects.get(code="handheld-note-unreadable")
    services.request_info(app, reviewer=reviewer, items=["handheld"], reasons=[reason])
    app.refresh_from_db()
    assert app.status == ApplicationStatus.NEEDS_INFO and app.redo_kinds == ["handheld"]
    notice = _notices(app)[-1]
    assert ("Handheld photo" in notice or "手持照片" in notice) and (reason.text_zh in notice
                                                                     or reason.text_en in notice)
    assert f"/portal/unlock/status/{app.ticket.number}/" in notice, "says where to upload again"
    with pytest.raises(ApplicationNotEditable):
        services.add_evidence(app, kind="id_front", filename="f.jpg", content=images.photo_jpeg("f2"),
                              actor=customer.actor)
    with pytest.raises(ApplicationIncomplete):
        services.submit(app, actor=customer.actor)
    services.add_evidence(app, kind="handheld", filename="h2.jpg", content=images.photo_jpeg("h2"),
                          actor=customer.actor)
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.submit(app, actor=customer.actor)
    app.refresh_from_db()
    assert app.status == ApplicationStatus.IN_REVIEW and app.review_round == 2
    assert app.evidence.filter(kind="handheld", superseded_at__isnull=True).count() == 1


def test_agent_without_reviewer_role_cannot_decide() -> None:
    locked_account(email="h@example.com")
    app = submitted(customer_for("h@example.com"))
    with pytest.raises(ReviewNotAllowed):
        services.approve(app, reviewer=make_agent(role=Role.AGENT))
    app.refresh_from_db()
    assert app.status == ApplicationStatus.IN_REVIEW and not app.decisions.exists()


def test_low_risk_approval_unlocks_through_the_gateway_and_tells_the_customer() -> None:
    account = locked_account(email="i@example.com")
    app = submitted(customer_for("i@example.com"))
    assert not app.high_risk
    services.approve(app, reviewer=make_agent(role=Role.REVIEWER))
    app.refresh_from_db()
    assert app.status == ApplicationStatus.UNLOCKED and app.unlocked_at
    assert not AccountLock.objects.filter(account=account, lifted_at__isnull=True).exists()
    assert AuditEntry.objects.filter(action="account.unlock", target=f"account:{account.uid}").exists()
    assert "Unlocked" in _notices(app)[-1] or "已解锁" in _notices(app)[-1]


def test_stolen_account_report_needs_a_second_reviewer_who_is_not_the_first() -> None:
    account = locked_account(email="j@example.com", reason=LockReason.STOLEN_REPORT)
    app = submitted(customer_for("j@example.com"))
    assert app.high_risk and "stolen_report" in app.risk_factors
    first, second = make_agent(role=Role.REVIEWER), make_agent(role=Role.REVIEWER)
    services.approve(app, reviewer=first)
    app.refresh_from_db()
    assert app.status == ApplicationStatus.IN_REVIEW
    with pytest.raises(FourEyesRequired):
        services.approve(app, reviewer=first)
    assert AccountLock.objects.filter(account=account, lifted_at__isnull=True).exists()
    services.approve(app, reviewer=second)
    app.refresh_from_db()
    assert app.status == ApplicationStatus.UNLOCKED
    assert list(app.decisions.values_list("kind", flat=True)) == ["approve", "confirm"]


def test_large_balance_makes_the_application_high_risk(settings) -> None:  # type: ignore[no-untyped-def]
    settings.UNLOCKDESK_UNLOCK_LARGE_BALANCE_USD = 10_000
    locked_account(email="k@example.com", balance=250_000)
    app = submitted(customer_for("k@example.com"))
    assert app.high_risk and "large_balance" in app.risk_factors


def test_failed_kyc_match_makes_the_application_high_risk() -> None:
    locked_account(email="l@example.com", kyc_name="张伟")
    app = submitted(customer_for("l@example.com"), name="李四")
    assert app.high_risk and "failed_checks" in app.risk_factors


def test_compliance_lock_is_not_lifted_by_an_unlock_application() -> None:
    account = locked_account(email="m@example.com")
    account_services.lock_account(account, reason=LockReason.COMPLIANCE_REVIEW,
                                  restrictions=[Restriction.WITHDRAW], actor="system:test")
    app = submitted(customer_for("m@example.com"))
    services.approve(app, reviewer=make_agent(role=Role.REVIEWER))
    remaining = AccountLock.objects.filter(account=account, lifted_at__isnull=True)
    assert [lock.reason for lock in remaining] == [LockReason.COMPLIANCE_REVIEW]


def test_rejection_tells_the_customer_the_chosen_reason_but_not_the_internal_note() -> None:
    locked_account(email="n@example.com")
    app = submitted(customer_for("n@example.com"))
    reason = ReasonTemplate.objects.get(code="ownership-not-proven")
    services.reject(app, reviewer=make_agent(role=Role.REVIEWER), reasons=[reason],
                    note="internal: looked edited")
    notice = _notices(app)[-1]
    assert reason.text_zh in notice or reason.text_en in notice
    assert "internal" not in notice


def test_gateway_failure_keeps_the_application_approved_for_a_retry(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from unlockdesk.accounts.gateway import DatabaseGateway
    from unlockdesk.unlock.exceptions import UnlockFailed

    locked_account(email="o@example.com")
    app = submitted(customer_for("o@example.com"))

    def refuse(self, lock, *, lifted_by):  # type: ignore[no-untyped-def]
        raise ConnectionError("exchange core unreachable")

    monkeypatch.setattr(DatabaseGateway, "lift", refuse)
    with pytest.raises(UnlockFailed):
        services.approve(app, reviewer=make_agent(role=Role.REVIEWER))
    app.refresh_from_db()
    assert app.status == ApplicationStatus.APPROVED
    monkeypatch.undo()
    services.perform_unlock(app, actor="agent:test")
    app.refresh_from_db()
    assert app.status == ApplicationStatus.UNLOCKED


def test_kyc_reveal_is_audited() -> None:
    locked_account(email="p@example.com")
    app = submitted(customer_for("p@example.com"))
    reviewer = make_agent(role=Role.REVIEWER)
    shown = services.reveal_kyc(app, reviewer=reviewer, why="compare with ID card photo")
    assert shown["applicant_id_number"] == shown["account_id_number"]
    assert AuditEntry.objects.filter(action="unlock.kyc_reveal", target=f"application:{app.pk}").exists()
    assert AuditEntry.objects.filter(action="kyc.reveal").exists()


def test_application_on_an_email_ticket_tells_the_customer_by_email() -> None:
    from django.core import mail

    from unlockdesk.tickets.services import receive
    from unlockdesk.tickets.types import Channel, IdentityKind, InboundMessage, SenderIdentity

    locked_account(email="mailer@example.com")
    with TestCase.captureOnCommitCallbacks(execute=True):
        receipt = receive(InboundMessage(
            channel=Channel.EMAIL, external_id="<locked@mail.example.com>",
            sender=SenderIdentity(IdentityKind.EMAIL, "mailer@example.com"),
            text="My account is locked", subject="Locked"))
    ticket = Ticket.objects.get(pk=receipt.ticket_id)
    customer = customer_for("mailer@example.com")
    services.start_or_resume(customer, ticket_number=ticket.number)
    mail.outbox.clear()
    app = submitted(customer)
    assert app.ticket_id == ticket.pk, "the application joins the customer's own ticket"
    notices = Message.objects.filter(ticket=ticket, headers__auto__startswith="unlock:")
    assert {m.channel for m in notices} == {"email"}
    sent = [m for m in mail.outbox if "mailer@example.com" in m.to]
    assert len(sent) == 3 and ticket.number in str(sent[0].body)


def _email_ticket(address: str, text: str, external_id: str) -> Ticket:
    from unlockdesk.tickets.services import receive
    from unlockdesk.tickets.types import Channel, IdentityKind, InboundMessage, SenderIdentity

    with TestCase.captureOnCommitCallbacks(execute=True):
        receipt = receive(InboundMessage(channel=Channel.EMAIL, external_id=external_id,
                                         sender=SenderIdentity(IdentityKind.EMAIL, address),
                                         text=text, subject=text))
    return Ticket.objects.get(pk=receipt.ticket_id)


def test_starting_without_a_number_continues_the_customers_open_lock_ticket() -> None:
    from unlockdesk.tickets.models import Category

    locked_account(email="again@example.com")
    deposit = _email_ticket("again@example.com", "My deposit has not arrived", "<dep@mail>")
    locked = _email_ticket("again@example.com", "My account is locked, I cannot log in", "<lock@mail>")
    Ticket.objects.filter(pk=deposit.pk).update(category=Category.DEPOSIT)
    Ticket.objects.filter(pk=locked.pk).update(category=Category.ACCOUNT_LOCKED)
    customer = customer_for("again@example.com")
    app = filled_draft(customer)
    assert app.ticket_id == locked.pk
    assert Ticket.objects.filter(contact=customer.contact).count() == 2, "no third ticket"


def test_a_closed_lock_ticket_is_not_reopened_by_a_new_application() -> None:
    from unlockdesk.tickets.models import Category, Status

    locked_account(email="closed@example.com")
    old = _email_ticket("closed@example.com", "My account is locked", "<old@mail>")
    Ticket.objects.filter(pk=old.pk).update(category=Category.ACCOUNT_LOCKED, status=Status.CLOSED)
    app = filled_draft(customer_for("closed@example.com"))
    assert app.ticket_id != old.pk and app.ticket.channel == "web"


def test_portal_applicant_is_alerted_by_email_when_asked_for_items_and_when_unlocked() -> None:
    from django.core import mail

    locked_account(email="portal@example.com")
    customer = customer_for("portal@example.com")
    app = submitted(customer)
    assert app.ticket.channel == "web"
    assert not [m for m in mail.outbox if "portal@example.com" in m.to], "no alert while it just moves on"
    reviewer = make_agent(role=Role.REVIEWER)
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.request_info(app, reviewer=reviewer, items=["handheld"], reasons=[])
    alerts = [m for m in mail.outbox if "portal@example.com" in m.to]
    assert len(alerts) == 1
    body = str(alerts[0].body)
    assert app.ticket.number in body and f"/portal/unlock/status/{app.ticket.number}/" in body
    app.refresh_from_db()
    services.add_evidence(app, kind="handheld", filename="h2.jpg", content=images.photo_jpeg("h2"),
                          actor=customer.actor)
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.submit(app, actor=customer.actor)
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.approve(app, reviewer=reviewer)
    alerts = [m for m in mail.outbox if "portal@example.com" in m.to]
    assert len(alerts) == 2 and ("Unlocked" in str(alerts[1].body) or "已解锁" in str(alerts[1].body))


def test_reviewer_asks_for_the_transaction_ids_and_the_customer_types_them_again() -> None:
    locked_account(email="tx-redo@example.com")
    customer = customer_for("tx-redo@example.com")
    app = submitted(customer)
    reason = ReasonTemplate.objects.filter(evidence_kind="transaction_record").first()
    services.request_info(app, reviewer=make_agent(role=Role.REVIEWER), items=["transaction_ids"],
                          reasons=[reason] if reason else [])
    app.refresh_from_db()
    assert app.status == ApplicationStatus.NEEDS_INFO and app.redo_kinds == ["transaction_ids"]
    assert "Transaction IDs" in _notices(app)[-1] or "交易编号" in _notices(app)[-1]
    with pytest.raises(ApplicationIncomplete):
        services.submit(app, actor=customer.actor)
    with pytest.raises(ApplicationIncomplete):
        services.redo_transactions(app, rows=[{"tx_id": "", "amount": "5"}], actor=customer.actor)
    with pytest.raises(ApplicationNotEditable):
        services.add_evidence(app, kind="handheld", filename="h.jpg", content=images.photo_jpeg("h3"),
                              actor=customer.actor)
    services.redo_transactions(app, rows=[{"tx_id": "T-2002", "amount": "12.5", "kind": "deposit"}],
                               actor=customer.actor)
    app.refresh_from_db()
    assert [t["tx_id"] for t in app.transactions] == ["T-2002"] and app.redo_items[0]["uploaded"]
    assert AuditEntry.objects.filter(action="unlock.transactions_redone",
                                     target=f"application:{app.pk}").exists()
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.submit(app, actor=customer.actor)
    app.refresh_from_db()
    assert app.status == ApplicationStatus.IN_REVIEW and app.review_round == 2
    with pytest.raises(ApplicationNotEditable):
        services.redo_transactions(app, rows=[{"tx_id": "T-3003"}], actor=customer.actor)
    app.refresh_from_db()
    assert [t["tx_id"] for t in app.transactions] == ["T-2002"], "nothing changes once sent"


def test_typed_ids_cannot_be_changed_unless_the_reviewer_asked_for_them() -> None:
    locked_account(email="tx-redo2@example.com")
    customer = customer_for("tx-redo2@example.com")
    app = submitted(customer)
    services.request_info(app, reviewer=make_agent(role=Role.REVIEWER), items=["handheld"], reasons=[])
    before = UnlockApplication.objects.get(pk=app.pk).transactions
    with pytest.raises(ApplicationNotEditable):
        services.redo_transactions(app, rows=[{"tx_id": "T-4004"}], actor=customer.actor)
    assert UnlockApplication.objects.get(pk=app.pk).transactions == before
