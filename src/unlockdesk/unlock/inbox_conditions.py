"""Named inbox conditions about unlock applications, offered to the ticket inbox (saved views)."""

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from unlockdesk.tickets.hooks import InboxCondition, register_inbox_condition
from unlockdesk.unlock.models import ReviewDecision
from unlockdesk.unlock.types import ApplicationStatus, DecisionKind


def awaiting_second_reviewer() -> Q:
    """In review with one approval this round: a high-risk unlock waiting for four eyes."""
    approved_once = ReviewDecision.objects.filter(
        application__ticket=OuterRef("pk"), kind=DecisionKind.APPROVE,
        round=OuterRef("unlock_application__review_round"))
    return Q(unlock_application__status=ApplicationStatus.IN_REVIEW) & Q(Exists(approved_once))


def register() -> None:
    register_inbox_condition(InboxCondition(
        key="second_reviewer", label=lambda: _("Unlock waiting for a second reviewer"),
        where=awaiting_second_reviewer))
