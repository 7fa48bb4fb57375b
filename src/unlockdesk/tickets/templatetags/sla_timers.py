"""{% sla_timer ticket as timer %}: the ticket's SLA timer in words (tickets.sla_words)."""

from django import template
from django.utils import timezone

from unlockdesk.tickets.models import Ticket
from unlockdesk.tickets.sla_words import ClockLine, SlaTimer, clocks_of, timer_of

register = template.Library()


@register.simple_tag
def sla_timer(ticket: Ticket) -> SlaTimer | None:
    return timer_of(ticket, timezone.now())


@register.simple_tag
def sla_clocks(ticket: Ticket) -> list[ClockLine]:
    return clocks_of(ticket, timezone.now())
