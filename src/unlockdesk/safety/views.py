"""Public and customer safety pages: the verifier, the emergency freeze, the portal's security page.

Thin: parse, call one service or selector, render. Everything customer-facing is translated.
"""

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from unlockdesk.accounts import services as account_services
from unlockdesk.safety import freeze, ratelimit, services
from unlockdesk.safety.forms import AntiPhishingForm, FreezeForm, ReportForm, VerifyForm
from unlockdesk.safety.freeze_links import BadFreezeLink, account_for_token
from unlockdesk.safety.verifier import UnrecognisedInput, official_domains, verify
from unlockdesk.tickets.customer_session import Customer, customer_required

REPORTS_PER_HOUR = 10


def _ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR") or "unknown"


@require_http_methods(["GET", "POST"])
def verify_page(request: HttpRequest) -> HttpResponse:
    """Public, no sign-in: is this link, address, number, handle or 工号 ours?"""
    data = request.POST if request.method == "POST" else (request.GET if "value" in request.GET else None)
    form = VerifyForm(data)
    answer = None
    status = 200
    if data is not None and form.is_valid():
        if not ratelimit.allow("verify", _ip(request), limit=settings.UNLOCKDESK_VERIFY_PER_MINUTE):
            form.add_error(None, _("Too many checks from your network. Wait a minute and try again."))
            status = 429
        else:
            try:
                answer = verify(form.cleaned_data["value"])
            except UnrecognisedInput as exc:
                form.add_error("value", str(exc))
    return render(request, "safety/verify.html", {
        "form": form, "answer": answer, "official_domains": official_domains(),
    }, status=status)


@require_http_methods(["GET", "POST"])
def freeze_link(request: HttpRequest, token: str) -> HttpResponse:
    """The signed link in security email. GET only asks (mail scanners open links); POST freezes."""
    try:
        account = account_for_token(token)
    except BadFreezeLink:
        return render(request, "safety/freeze_link.html", {"bad_link": True}, status=400)
    form = FreezeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = freeze.emergency_freeze(account, actor="customer:email-link", via="email link",
                                            language=get_language() or account.language)
        return render(request, "safety/frozen.html", {"outcome": outcome})
    return render(request, "safety/freeze_link.html", {"form": form, "uid": account.uid})


@customer_required
def security_page(request: HttpRequest, customer: Customer) -> HttpResponse:
    account = customer.account
    return render(request, "safety/portal_security.html", {
        "customer": customer,
        "account": account,
        "frozen": freeze.freeze_reason_is_self(account) if account else False,
        "code_form": AntiPhishingForm(),
        "freeze_form": FreezeForm(),
        "report_form": ReportForm(),
    })


@customer_required
@require_POST
def set_anti_phishing_code(request: HttpRequest, customer: Customer) -> HttpResponse:
    form = AntiPhishingForm(request.POST)
    if customer.account is None:
        messages.error(request, _("This address is not registered on an exchange account."))
    elif not form.is_valid():
        messages.error(request, _("The anti-phishing code must be 4 to 20 characters, without spaces."))
    else:
        try:
            account_services.set_anti_phishing_code(customer.account, form.cleaned_data["code"],
                                                    actor=customer.actor)
        except account_services.AccountError:
            messages.error(request, _("The anti-phishing code must be 4 to 20 characters, without "
                                      "spaces."))
        else:
            messages.success(request, _("Your anti-phishing code is set. Every official email from "
                                        "us will show it."))
    return redirect("safety:portal_security")


@customer_required
@require_POST
def portal_freeze(request: HttpRequest, customer: Customer) -> HttpResponse:
    form = FreezeForm(request.POST)
    if customer.account is None:
        messages.error(request, _("This address is not registered on an exchange account."))
        return redirect("safety:portal_security")
    if not form.is_valid():
        messages.error(request, _("Tick the box to confirm the freeze."))
        return redirect("safety:portal_security")
    outcome = freeze.emergency_freeze(customer.account, actor=customer.actor, via="portal",
                                        language=get_language() or customer.account.language)
    return render(request, "safety/frozen.html", {"outcome": outcome, "customer": customer})


@customer_required
@require_POST
def report_contact(request: HttpRequest, customer: Customer) -> HttpResponse:
    form = ReportForm(request.POST)
    if form.is_valid() and not ratelimit.allow("report", str(customer.contact.pk),
                                                 limit=REPORTS_PER_HOUR, window=3600):
        messages.error(request, _("You have sent many reports in the last hour. Please wait a "
                                  "while before reporting again."))
    elif form.is_valid():
        try:
            services.report_scam(value=form.cleaned_data["value"],
                                 description=form.cleaned_data["description"],
                                 reporter_contact_id=customer.contact.pk)
        except UnrecognisedInput as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Thank you. Our security team will check it. Do not reply "
                                        "to that contact, pay it or share anything with it."))
    else:
        messages.error(request, _("Paste the suspicious link, address, number or handle."))
    return redirect("safety:portal_security")
