"""The satisfaction survey for customers: the page a signed link opens (email, SMS, chat,
social channels) and the form on the portal's ticket page. Both call one service, which takes
one answer per ticket."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from unlockdesk.reports.selectors import survey_of
from unlockdesk.reports.services import CsatRefused, submit_rating
from unlockdesk.reports.tokens import BadSurveyLink, survey_for_token
from unlockdesk.tickets import selectors
from unlockdesk.tickets.customer_session import Customer, customer_required
from unlockdesk.tickets.exceptions import TicketAccessDenied
from unlockdesk.web.forms import RatingForm


def survey_page(request: HttpRequest, token: str) -> HttpResponse:
    """No sign-in: the signed link is the permission, for this one survey only. The page shows
    the ticket number and nothing else of the ticket."""
    try:
        survey = survey_for_token(token)
    except BadSurveyLink:
        return render(request, "web/csat.html", {"state": "bad_link"}, status=404)
    # The ticket's language, unless the customer picked one with the site's switcher.
    chosen = settings.LANGUAGE_COOKIE_NAME in request.COOKIES
    with override(get_language() if chosen else survey.ticket.language):
        if survey.is_answered:
            return render(request, "web/csat.html", {"state": "answered", "survey": survey})
        if not survey.is_open:
            return render(request, "web/csat.html", {"state": "expired", "survey": survey})
        form = RatingForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                submit_rating(survey=survey, rating=form.cleaned_data["rating"],
                              comment=form.cleaned_data["comment"], via="link")
            except CsatRefused as exc:
                return render(request, "web/csat.html",
                              {"state": "refused", "survey": survey, "reason": str(exc)}, status=409)
            return render(request, "web/csat.html", {"state": "thanks", "survey": survey})
        return render(request, "web/csat.html", {"state": "ask", "survey": survey, "form": form},
                      status=400 if form.errors else 200)


@customer_required
@require_POST
def portal_rating(request: HttpRequest, customer: Customer, number: str) -> HttpResponse:
    try:
        ticket = selectors.ticket_for_customer(customer.contact, customer.account, number)
    except TicketAccessDenied as exc:
        raise Http404 from exc
    survey = survey_of(ticket)
    if survey is None:
        raise Http404
    form = RatingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a rating from 1 to 5."))
        return redirect("portal:ticket", number=ticket.number)
    try:
        submit_rating(survey=survey, rating=form.cleaned_data["rating"],
                      comment=form.cleaned_data["comment"], via="portal")
    except CsatRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Thank you for your rating."))
    return redirect("portal:ticket", number=ticket.number)
