"""The automatic first answer: ticket number, and for lock cases exactly what to prepare."""

import logging
from contextlib import nullcontext

from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import override

from unlockdesk.tickets import hooks
from unlockdesk.tickets.models import Category, Direction, Ticket

log = logging.getLogger(__name__)


def materials_checklist() -> list[str]:
    phrase = settings.BRAND.note_phrase
    return [
        _("Your UID, or the email address or phone number registered on the account."),
        _("Your real name and ID number as used for identity verification (KYC)."),
        _("Photos of the front and the back of your ID card."),
        _(
            "A photo of you holding your ID card (front) and a paper note that says "
            "“%(phrase)s”, today's date and your ticket number; face and card fully visible."
        ) % {"phrase": phrase},
        _("Recent transaction records or transaction IDs (time, type, amount, counterparty)."),
        _("Other proof if you have it: bank statements, payment receipts, OTC chat records."),
    ]


def acknowledgement_text(ticket: Ticket, *, suggestions: bool = True) -> str:
    """The first answer's text; `suggestions=False` leaves out the help-center search, for the
    pipeline, which adds the articles after its transaction (receive())."""
    with override(ticket.language):
        lines = [
            _("We have received your request. Your ticket number is %(number)s.")
            % {"number": ticket.number},
            _("Quote it in every message. Our staff will never ask for your password, "
              "SMS or 2FA codes, API keys or seed phrase."),
        ]
        if ticket.category in (Category.ACCOUNT_LOCKED, Category.STOLEN_ACCOUNT):
            lines.append("")
            lines.append(_("To unlock your account, please prepare:"))
            lines.extend(f"{i}. {item}" for i, item in enumerate(materials_checklist(), 1))
        if ticket.category in (Category.STOLEN_ACCOUNT, Category.FRAUD):
            lines.append("")
            lines.append(
                _("If your funds are at risk, freeze your account now from the support portal.")
            )
        if suggestions:
            lines.extend(help_suggestions(ticket))
        return "\n".join(lines)


def help_suggestions(ticket: Ticket, first_text: str | None = None) -> list[str]:
    """Two or three help articles matching the customer's words, with links; never fails.

    The help center offers them through `tickets.hooks` (it sits above tickets); lines come
    in the ticket's language. `first_text`: the first message's text when the caller has it
    (the pipeline does), else it is read.
    """
    if first_text is None:
        first = ticket.messages.filter(direction=Direction.INBOUND).order_by("seq").first()
        first_text = first.body_text if first else ""
    return suggestion_lines(ticket.subject, first_text, ticket.language, ticket.number)


def suggestion_lines(subject: str, first_text: str, language: str, case: str = "") -> list[str]:
    """help_suggestions() for a ticket about to be opened (`case` names it in the log)."""
    text = f"{subject} {first_text}"
    # Inside a caller's transaction, a savepoint keeps a failing search from spoiling it;
    # outside one, a read needs none (on SQLite it would take the write lock).
    guard = transaction.atomic() if connection.in_atomic_block else nullcontext()
    try:
        with guard:
            return hooks.acknowledgement_suggestions(text, language)
    except Exception:
        log.exception("help-center suggestions for %s failed", case or "a new ticket")
        return []
