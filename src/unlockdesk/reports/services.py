"""Satisfaction survey writes: ask once after the resolve, take one answer.

- `ask_after_resolve(ticket_id)`: the tickets.hooks listener. Creates the ticket's one survey
  and asks on the channel the customer used: a signed link by email, SMS, chat and social
  channels, a notice pointing at the form on the portal's ticket page. A ticket resolved again
  after a reopen is not asked again.
- `submit_rating(...)`: 1 to 5 and a comment, once, before the survey expires. The comment is
  customer text: it is scanned and stored redacted like every inbound message.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from unlockdesk.reports.models import CsatSurvey
from unlockdesk.reports.tokens import survey_url
from unlockdesk.safety.services import scan_inbound
from unlockdesk.tickets.events import record_event
from unlockdesk.tickets.models import EventKind, Ticket
from unlockdesk.tickets.services import notify_customer
from unlockdesk.tickets.types import Channel

COMMENT_MAX = 2000
RATINGS = range(1, 6)


class CsatRefused(Exception):
    """The answer is not taken; `code` for programs, the message (customer's language) for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def ask_after_resolve(ticket_id: int) -> CsatSurvey | None:
    """Create the ticket's survey and ask the customer; None when it was asked before.

    Atomic with the notice: if sending cannot be queued, no survey is left half-asked.
    """
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket_id)
        if CsatSurvey.objects.filter(ticket=ticket).exists():
            return None
        try:
            with transaction.atomic():
                survey = CsatSurvey.objects.create(
                    ticket=ticket, channel=ticket.channel, queue_id=ticket.queue_id,
                    agent_id=ticket.assignee_id, nonce=secrets.token_hex(16),
                    expires_at=timezone.now() + timedelta(days=settings.UNLOCKDESK_CSAT_DAYS))
        except IntegrityError:  # asked by a concurrent resolve
            return None
        notify_customer(ticket, ask_text(survey), topic="csat")
    return survey


def ask_text(survey: CsatSurvey) -> str:
    """The question in the ticket's language: the portal has the form on the ticket's page;
    every other channel gets the signed link."""
    ticket = survey.ticket
    with override(ticket.language):
        if survey.channel == Channel.WEB:
            return _("Ticket %(number)s is resolved. How did we do? Please rate our help from "
                     "1 to 5 on this ticket's page.") % {"number": ticket.number}
        return _("Ticket %(number)s is resolved. How did we do? Please rate our help from 1 to "
                 "5 (one question, no sign-in; the link works for %(days)d days): %(url)s") % {
            "number": ticket.number, "days": settings.UNLOCKDESK_CSAT_DAYS,
            "url": survey_url(survey)}


def submit_rating(*, survey: CsatSurvey, rating: int, comment: str, via: str) -> CsatSurvey:
    """Take the customer's one answer; CsatRefused (nothing changed) when the rating is not
    1-5, the comment too long, the survey expired or already answered."""
    if rating not in RATINGS:
        raise CsatRefused("bad_rating", _("Choose a rating from 1 to 5."))
    comment = comment.strip()
    if len(comment) > COMMENT_MAX:
        raise CsatRefused("too_long", _("The comment is too long (at most %(n)d characters).")
                          % {"n": COMMENT_MAX})
    scanned = scan_inbound(comment) if comment else None
    with transaction.atomic():
        locked = CsatSurvey.objects.select_for_update().get(pk=survey.pk)
        if locked.answered_at is not None:
            raise CsatRefused("answered", _("You have already rated this ticket. Thank you."))
        if timezone.now() >= locked.expires_at:
            raise CsatRefused("expired", _("This survey has closed."))
        locked.rating = rating
        locked.comment = scanned.redacted if scanned else ""
        locked.comment_redactions = scanned.kinds if scanned else []
        locked.answered_at = timezone.now()
        locked.answered_via = via
        locked.save(update_fields=["rating", "comment", "comment_redactions", "answered_at",
                                   "answered_via"])
        record_event(locked.ticket, EventKind.CSAT, actor="customer", new=rating)
    return locked
