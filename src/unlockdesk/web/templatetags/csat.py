"""The portal's satisfaction form on a ticket page, without touching the page's view."""

from django import template

from unlockdesk.reports.models import CsatSurvey
from unlockdesk.reports.selectors import survey_of
from unlockdesk.tickets.models import Ticket
from unlockdesk.web.forms import RatingForm

register = template.Library()


@register.simple_tag
def survey_for(ticket: Ticket) -> CsatSurvey | None:
    """Only for a page that already checked the ticket is the viewer's (the portal's)."""
    return survey_of(ticket)


@register.simple_tag
def rating_form() -> RatingForm:
    return RatingForm()
