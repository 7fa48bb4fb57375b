"""The customer's side before submission: start or resume a draft, save each wizard step.

A draft belongs to the signed-in customer's contact. Its ticket is opened (or an existing
ticket of the customer linked) as soon as the account step is saved, because the handheld
photo's paper note must carry the ticket number. Every write is atomic and re-validated
here, whatever the form already checked.
"""

from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from unlockdesk.accounts import services as account_services
from unlockdesk.accounts.identifiers import (
    mask_id_number,
    mask_name,
    normalize_contact_address,
    normalize_id_number,
)
from unlockdesk.accounts.models import ExchangeAccount
from unlockdesk.accounts.selectors import find_accounts
from unlockdesk.accounts.types import LockReason, Restriction, TransactionKind
from unlockdesk.safety import audit
from unlockdesk.tickets import selectors as ticket_selectors
from unlockdesk.tickets.customer_session import Customer
from unlockdesk.tickets.models import Category, Status, Ticket
from unlockdesk.tickets.services import receive
from unlockdesk.tickets.types import Channel, InboundMessage, SenderIdentity
from unlockdesk.unlock.exceptions import ApplicationIncomplete, ApplicationNotEditable
from unlockdesk.unlock.models import UnlockApplication
from unlockdesk.unlock.selectors import open_application_for
from unlockdesk.unlock.services.status import locked
from unlockdesk.unlock.types import TRANSACTION_IDS, ApplicationStatus, Step
from unlockdesk.verification.idnumbers import id_number_problem, problem_message

MAX_TRANSACTIONS = 20
NEW_CASE = "new"
# Tickets an unlock application continues when the customer starts without naming one.
LOCK_CATEGORIES = (Category.ACCOUNT_LOCKED, Category.STOLEN_ACCOUNT)


def start_or_resume(customer: Customer, *, ticket_number: str = "", language: str = "zh-hans"
                    ) -> UnlockApplication:
    """The customer's open application, else a new draft linked to their ticket about the lock.

    A ticket number links only a ticket the customer can already see and that has no
    application; otherwise it is ignored (TicketAccessDenied for foreign numbers). Without a
    number, the customer's newest open ticket about a locked or stolen account is linked, so
    the case keeps one ticket and the notices go out on the channel the customer used;
    `NEW_CASE` links none (the account step opens a ticket of its own).
    """
    existing = open_application_for(customer)
    if existing is not None:
        return existing
    ticket: Ticket | None = None
    if ticket_number == NEW_CASE:
        ticket = None
    elif ticket_number:
        candidate = ticket_selectors.ticket_for_customer(customer.contact, customer.account,
                                                         ticket_number)
        if candidate.is_open and not UnlockApplication.objects.filter(ticket=candidate).exists():
            ticket = candidate
    else:
        ticket = _open_lock_ticket(customer)
    account = customer.account
    return UnlockApplication.objects.create(
        contact=customer.contact,
        ticket=ticket,
        account=account,
        account_proven=account is not None,
        account_reference=account.uid if account else "",
        language=language,
    )


def _open_lock_ticket(customer: Customer) -> Ticket | None:
    return (ticket_selectors.tickets_of(customer.contact, customer.account)
            .filter(category__in=LOCK_CATEGORIES, unlock_application__isnull=True)
            .exclude(status__in=[Status.RESOLVED, Status.CLOSED]).first())


def _editable(application: UnlockApplication) -> None:
    if application.status != ApplicationStatus.DRAFT:
        raise ApplicationNotEditable(_("This application was already submitted and cannot be changed."))


def _resolve_account(customer: Customer, reference: str) -> tuple[ExchangeAccount | None, bool]:
    """(account, proven): the signed-in customer's own account is proven; any other is a claim."""
    reference = reference.strip()
    own = customer.account
    if own is not None and reference in {own.uid, own.email, own.phone}:
        return own, True
    candidates = list(find_accounts(reference)[:2])
    if not candidates:
        try:
            _kind, normalized = normalize_contact_address(reference)
            candidates = list(find_accounts(normalized)[:2])
        except Exception:  # not an email/phone either: the reviewer sees an unmatched claim
            candidates = []
    if len(candidates) == 1:
        account = candidates[0]
        return account, own is not None and own.pk == account.pk
    return None, False


def save_account_step(application: UnlockApplication, customer: Customer, *, reference: str,
                      kyc_name: str, id_number: str) -> UnlockApplication:
    """Step 1: which account, and the real-name identity; opens or links the ticket."""
    problem = id_number_problem(id_number)
    if problem:
        raise ApplicationIncomplete(problem_message(problem), ["id_number"])
    kyc_name = " ".join(kyc_name.split())
    if not kyc_name or not reference.strip():
        raise ApplicationIncomplete(_("Please fill in every field."), ["kyc_name", "reference"])
    account, proven = _resolve_account(customer, reference)
    with transaction.atomic():
        app = locked(application.pk)
        _editable(app)
        app.account_reference = reference.strip()[:254]
        app.account = account
        app.account_proven = proven
        app.kyc_name = kyc_name
        app.kyc_name_hash = account_services.kyc_name_hash(kyc_name)
        app.kyc_name_masked = mask_name(kyc_name)
        number = normalize_id_number(id_number)
        app.id_number = number
        app.id_number_hash = account_services.id_number_hash(number)
        app.id_number_masked = mask_id_number(number)
        app.step = max(app.step, Step.PROBLEM)
        app.updated_at = timezone.now()
        app.save()
        if app.ticket is None:
            app.ticket = _open_ticket(app, customer)
            app.save(update_fields=["ticket"])
    return app


def _open_ticket(application: UnlockApplication, customer: Customer) -> Ticket:
    """One ticket per case: the application's own web ticket, through the one pipeline."""
    from django.utils.translation import override

    with override(application.language):
        subject = _("Unlock application")
        text = _("I started an unlock application for account %(reference)s.") % {
            "reference": application.account.uid if application.account else _("(not found)")}
    receipt = receive(InboundMessage(
        channel=Channel.WEB,
        external_id=f"unlock:{application.pk}:opened",
        sender=SenderIdentity(customer.identity_kind, customer.identity_value, verified=True),
        text=text,
        subject=subject,
        language=application.language,
    ))
    return Ticket.objects.get(pk=receipt.ticket_id)


def save_problem_step(application: UnlockApplication, *, lock_reason: str, happened_at: datetime | None,
                      blocked: list[str], error_message: str, stolen_reported: bool) -> UnlockApplication:
    """Step 2: the lock as the system shows it, when, what is blocked, the error seen."""
    if lock_reason and lock_reason not in LockReason.values:
        raise ApplicationIncomplete(_("Please choose a lock reason from the list."), ["lock_reason"])
    if any(item not in Restriction.values for item in blocked):
        raise ApplicationIncomplete(_("Please choose what is blocked from the list."), ["blocked"])
    if happened_at and happened_at > timezone.now():
        raise ApplicationIncomplete(_("The time cannot be in the future."), ["happened_at"])
    with transaction.atomic():
        app = locked(application.pk)
        _editable(app)
        app.lock_reason = lock_reason
        app.happened_at = happened_at
        app.blocked = sorted(set(blocked))
        app.error_message = error_message.strip()[:2000]
        app.stolen_reported = stolen_reported
        app.step = max(app.step, Step.IDENTITY)
        app.updated_at = timezone.now()
        app.save()
    return app


def clean_transactions(rows: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Keep typed rows that say something; each field trimmed; amount must be a number; the
    currency (USDT, BTC ...) is kept upper-case."""
    out: list[dict[str, str]] = []
    for row in rows[:MAX_TRANSACTIONS]:
        item = {key: str(row.get(key, "")).strip()[:130]
                for key in ("tx_id", "occurred", "kind", "amount", "asset", "counterparty")}
        item["asset"] = item["asset"].upper()[:16]
        if not any(item.values()):
            continue
        if item["kind"] and item["kind"] not in TransactionKind.values:
            raise ApplicationIncomplete(_("Please choose the transaction type from the list."), ["kind"])
        if item["amount"]:
            try:
                Decimal(item["amount"])
            except InvalidOperation as exc:
                raise ApplicationIncomplete(_("The amount must be a number."), ["amount"]) from exc
        out.append(item)
    return out


def save_transactions_step(application: UnlockApplication, *, rows: list[dict[str, Any]]
                           ) -> UnlockApplication:
    """Step 4: transaction IDs with time, type, amount and counterparty (screenshots are evidence)."""
    cleaned = clean_transactions(rows)
    with transaction.atomic():
        app = locked(application.pk)
        _editable(app)
        app.transactions = cleaned
        app.step = max(app.step, Step.OTHER)
        app.updated_at = timezone.now()
        app.save()
    return app


def redo_transactions(application: UnlockApplication, *, rows: list[dict[str, Any]], actor: str
                      ) -> UnlockApplication:
    """The typed transaction IDs again, when the reviewer asked for them; nothing else changes."""
    cleaned = clean_transactions(rows)
    if not any(row["tx_id"] for row in cleaned):
        raise ApplicationIncomplete(_("Enter at least one transaction ID."), ["tx_id"])
    with transaction.atomic():
        app = locked(application.pk)
        if app.status != ApplicationStatus.NEEDS_INFO or TRANSACTION_IDS not in app.redo_kinds:
            raise ApplicationNotEditable(_("This item cannot be changed now."))
        before = len(app.transactions or [])
        app.transactions = cleaned
        app.mark_redone(TRANSACTION_IDS)
        app.updated_at = timezone.now()
        app.save(update_fields=["transactions", "redo_items", "updated_at"])
        audit.record(actor=actor, action="unlock.transactions_redone", target=f"application:{app.pk}",
                     before=before, after=len(cleaned))
    return app


def save_other_step(application: UnlockApplication, *, notes: str) -> UnlockApplication:
    """Step 5: anything else the customer wants the reviewer to know about the other proof."""
    with transaction.atomic():
        app = locked(application.pk)
        _editable(app)
        app.other_notes = notes.strip()[:4000]
        app.updated_at = timezone.now()
        app.save()
    return app


def advance(application: UnlockApplication, step: Step) -> None:
    """Remember how far the customer got, so the wizard resumes there (drafts only)."""
    if application.status == ApplicationStatus.DRAFT and step > application.step:
        UnlockApplication.objects.filter(pk=application.pk).update(step=step, updated_at=timezone.now())
        application.step = step
