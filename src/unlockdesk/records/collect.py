"""What a customer takes with them: every ticket, lock and unlock decision, in their language.

Read once, in one pass per table, so an export of a customer with hundreds of tickets costs a
handful of queries. Internal notes, reviewers' notes, evidence files and other customers' data
never enter: the selectors used here carry the same scope as the portal pages.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from unlockdesk.accounts.models import AccountLock
from unlockdesk.accounts.types import LockReason, Restriction
from unlockdesk.brand import brand
from unlockdesk.chinese import for_reader, list_of
from unlockdesk.tickets import selectors as ticket_selectors
from unlockdesk.tickets.customer_session import Customer
from unlockdesk.tickets.models import Attachment, Direction, Message, Ticket
from unlockdesk.unlock import selectors as unlock_selectors
from unlockdesk.unlock.models import UnlockApplication
from unlockdesk.unlock.types import ApplicationStatus, DecisionKind, EvidenceKind


@dataclass(frozen=True)
class FileRef:
    """An attachment the PDF embeds; the JSON lists it with the same digest."""

    attachment: Attachment
    ticket_number: str
    seq: int


@dataclass
class Collected:
    records: dict[str, Any]
    files: list[FileRef]


def _when(value: Any) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _speaker(message: Message) -> str:
    if message.direction == Direction.INBOUND:
        return _("You")
    if message.author:
        return message.author.public_name
    return brand().name_here()


def _ticket(ticket: Ticket, files: list[FileRef]) -> dict[str, Any]:
    messages = []
    for message in ticket_selectors.conversation(ticket, for_customer=True):
        attachments = []
        for item in message.attachments.all():
            files.append(FileRef(item, ticket.number, message.seq))
            attachments.append({"filename": item.filename, "content_type": item.content_type,
                                "size": item.size, "sha256": item.sha256})
        messages.append({"seq": message.seq, "from": _speaker(message),
                         "direction": message.direction, "at": _when(message.created_at),
                         "text": message.body_text, "attachments": attachments})
    return {
        "number": ticket.number, "subject": ticket.subject,
        "status": ticket.status, "status_label": str(ticket.get_status_display()),
        "channel": ticket.channel, "channel_label": str(ticket.get_channel_display()),
        "created_at": _when(ticket.created_at), "updated_at": _when(ticket.updated_at),
        "messages": messages,
    }


def _lock(lock: AccountLock) -> dict[str, Any]:
    return {
        "reason": lock.reason, "reason_label": str(LockReason(lock.reason).label),
        "blocked": list_of(str(Restriction(r).label) for r in lock.restrictions),
        "since": _when(lock.since), "lifted_at": _when(lock.lifted_at),
    }


def _application(application: UnlockApplication, language: str) -> dict[str, Any]:
    decisions = []
    for decision in application.decisions.prefetch_related("reasons").order_by("created_at"):
        decisions.append({
            "decision": decision.kind, "decision_label": str(DecisionKind(decision.kind).label),
            "at": _when(decision.created_at), "round": decision.round,
            "reasons": [for_reader(r.text(language), language) for r in decision.reasons.all()],
            "redo": list_of(str(EvidenceKind(k).label) for k in decision.items if k in EvidenceKind.values),
        })
    evidence = [
        {"kind": e.kind, "kind_label": str(EvidenceKind(e.kind).label), "uploaded_at": _when(e.uploaded_at),
         "replaced": e.superseded_at is not None}
        for e in application.evidence.order_by("uploaded_at")
    ]
    return {
        "ticket": application.ticket.number if application.ticket else None,
        "status": application.status, "status_label": str(ApplicationStatus(application.status).label),
        "kyc_name": application.kyc_name_masked, "id_number": application.id_number_masked,
        "lock_reason": str(LockReason(application.lock_reason).label) if application.lock_reason else "",
        "submitted_at": _when(application.submitted_at), "decided_at": _when(application.decided_at),
        "unlocked_at": _when(application.unlocked_at),
        "materials": evidence, "decisions": decisions,
    }


def collect(customer: Customer, *, language: str, export_id: str,
            progress: Callable[[int], None] = lambda done: None) -> Collected:
    """The customer's records as one JSON-ready dict, plus the files the PDF embeds.

    `progress` hears a share (0-100) of the tickets read, for the page the customer watches.
    """
    with translation.override(language):
        files: list[FileRef] = []
        tickets = list(ticket_selectors.tickets_of(customer.contact, customer.account)
                       .order_by("created_at"))
        rows = []
        for index, ticket in enumerate(tickets, start=1):
            rows.append(_ticket(ticket, files))
            progress(index * 100 // len(tickets))
        account = customer.account
        locks = [_lock(lock) for lock in account.locks.order_by("since")] if account else []
        applications = [
            _application(a, language)
            for a in unlock_selectors.applications_of(customer)
            .select_related("ticket").prefetch_related("evidence").order_by("created_at")
        ]
        records = {
            "format": "unlockdesk-records/1",
            "export": export_id,
            "issued_by": brand().name_here(),
            "generated_at": _when(timezone.now()),
            "language": language,
            "account_uid": account.uid if account else None,
            "contact": [f"{i.kind}:{i.value}" for i in customer.contact.identities.all()],
            "locks": locks,
            "unlock_applications": applications,
            "tickets": rows,
        }
    return Collected(records, files)
