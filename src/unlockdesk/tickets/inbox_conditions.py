"""The ticket app's own named inbox conditions (see tickets.hooks.InboxCondition)."""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from unlockdesk.tickets.hooks import InboxCondition, register_inbox_condition
from unlockdesk.tickets.models import SLA_RUNNING

SLA_SOON = timedelta(hours=1)
# Waiting on the customer pauses the clock: those tickets are not about to breach. The same
# predicate as the partial indexes ticket_sla_*_due, which so serve this condition.
_CLOCK_RUNNING = SLA_RUNNING


def sla_breaching_soon() -> Q:
    """Not yet marked breached, and a first response or the resolution due within the hour
    (or already past due, before the minutely sweep marks it)."""
    soon = timezone.now() + SLA_SOON
    first = Q(first_response_at__isnull=True, first_response_due__lte=soon)
    return Q(status__in=_CLOCK_RUNNING, sla_breached=False) & (first | Q(resolution_due__lte=soon))


def register() -> None:
    register_inbox_condition(InboxCondition(
        key="sla_1h", label=lambda: _("SLA breaching within 1 h"), where=sla_breaching_soon))
