"""What the widget offers before an agent joins: matching help articles from the help center's
search (or, when no article matches, the next steps for the question's triage category) and
the channel that fits the urgency. Read-only: nothing is stored while the visitor is only asking.
"""

import logging
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import DatabaseError
from django.utils.translation import gettext as _

from unlockdesk.helpcenter import selectors as helpcenter
from unlockdesk.helpcenter.types import SearchHit, Urgency
from unlockdesk.tickets import triage
from unlockdesk.tickets.models import Category, Priority

log = logging.getLogger(__name__)

ARTICLE_LIMIT = 3


@dataclass(frozen=True)
class Article:
    title: str
    url: str


@dataclass(frozen=True)
class Guidance:
    category: str
    urgent: bool
    recommendation: str  # freeze_and_agent | agent | self_service
    recommendation_text: str
    articles: list[Article] = field(default_factory=list)
    next_steps: list[str] = field(default_factory=list)

    def as_frame(self) -> dict[str, Any]:
        return {"type": "suggestions", **asdict(self)}


def next_steps(category: str) -> list[str]:
    """The first things to do for a category, when no help article answers it."""
    steps: dict[str, list[str]] = {
        Category.STOLEN_ACCOUNT: [
            _("Freeze your account now: it blocks login, trading and withdrawals at once."),
            _("Talk to an agent now; have your UID or registered email ready."),
            _("Never share passwords, SMS or 2FA codes with anyone, including support staff."),
        ],
        Category.FRAUD: [
            _("Stop all contact with the other party and do not send any more funds."),
            _("Check every contact with the official-channel verifier before you trust it."),
            _("Talk to an agent now and keep the chat records and transaction IDs."),
        ],
        Category.ACCOUNT_LOCKED: [
            _("Sign in to the support portal to see why the account is locked and what is blocked."),
            _("Prepare your ID card and a photo of you holding it with a dated note."),
            _("Apply to unlock, or talk to an agent if the reason is unclear."),
        ],
        Category.WITHDRAWAL: [
            _("Check the withdrawal status and the transaction ID (TXID) in your history."),
            _("Network congestion can delay a withdrawal by several hours."),
        ],
        Category.DEPOSIT: [
            _("Check that the network and the address (and memo or tag) were correct."),
            _("Deposits are credited after the required number of network confirmations."),
        ],
        Category.KYC: [
            _("Use a valid ID card and take photos in good light, without glare."),
            _("The name must match the one on your identity verification exactly."),
        ],
        Category.SECURITY: [
            _("Security changes pause withdrawals for 24 hours to protect you."),
            _("Set an anti-phishing code so you can recognise our official emails."),
        ],
    }
    return steps.get(category, [_("Describe your question and an agent will help you.")])


def _help_hits(query: str, language: str) -> list[SearchHit]:
    """The help center's own search (published articles, the reader's language first)."""
    try:
        return helpcenter.search(query, language, ARTICLE_LIMIT)[:ARTICLE_LIMIT]
    except DatabaseError:  # a broken index must not take the chat down with it
        log.exception("help-center search failed")
        return []


def guide(question: str, language: str) -> Guidance:
    """Help articles or next steps, and the recommended channel, for a visitor's question.

    Urgent (freeze first, an agent now) when triage says so or when the best article is one
    of the help center's urgent ones (a stolen account, a scam), so both parts agree."""
    result = triage.triage("", question)
    hits = _help_hits(question, language)
    urgent = result.priority == Priority.URGENT or helpcenter.urgency_of(
        text=question, article_slug=hits[0].slug if hits else "") == Urgency.URGENT
    if urgent:
        recommendation = "freeze_and_agent"
        text = _("This is urgent. Freeze your account first if someone else may have access, "
                 "then talk to an agent now.")
    elif result.category in (Category.ACCOUNT_LOCKED, Category.OTHER):
        recommendation = "agent"
        text = _("An agent can look at your case in this chat.")
    else:
        recommendation = "self_service"
        text = _("These steps answer most questions like yours. You can still talk to an agent.")
    articles = [Article(hit.title, hit.url) for hit in hits]
    return Guidance(
        category=str(result.category),
        urgent=urgent,
        recommendation=recommendation,
        recommendation_text=text,
        articles=articles,
        next_steps=[] if articles else next_steps(result.category),
    )
