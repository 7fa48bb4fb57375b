"""The customer-context panel of the console's ticket page, filled by selectors (each with its
permission rule), in a fixed number of queries however many rows it shows."""

from dataclasses import dataclass

from django import template

from unlockdesk.reports.models import CsatSurvey
from unlockdesk.reports.selectors import survey_of
from unlockdesk.staff.models import Agent, Role
from unlockdesk.tickets import selectors as ticket_selectors
from unlockdesk.tickets.models import Ticket
from unlockdesk.unlock import selectors as unlock_selectors
from unlockdesk.unlock.models import UnlockApplication

register = template.Library()


@dataclass(frozen=True)
class CustomerContext:
    other_tickets: ticket_selectors.OtherTickets
    applications: list[UnlockApplication]
    can_review: bool
    survey: CsatSurvey | None


@register.simple_tag
def customer_context(agent: Agent, ticket: Ticket) -> CustomerContext:
    return CustomerContext(
        other_tickets=ticket_selectors.other_tickets_for_agent(agent, ticket),
        applications=unlock_selectors.applications_of_ticket_customer(agent, ticket),
        can_review=agent.has_role(Role.REVIEWER),
        survey=survey_of(ticket),  # the page already checked the agent may see this ticket
    )
