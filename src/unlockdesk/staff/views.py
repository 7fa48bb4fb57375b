"""Staff sign-in: the password step, then the TOTP step (or first enrolment), then the console.

Thin views over `two_factor`. The password step is Django's LoginView (throttled by
django-axes through the authentication backend) but it never logs in: it parks the agent's
id in the session for PENDING_SECONDS. Only the TOTP step calls `login()`, and it marks the
session verified for django-otp, so every route that checks `is_verified()` (console views,
admin, API) sees a full two-factor session or none.
"""

import time
from typing import Any

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from unlockdesk.safety import audit
from unlockdesk.staff import two_factor
from unlockdesk.staff.forms import TokenForm
from unlockdesk.staff.models import Agent

PENDING_KEY = "staff_pending"
PENDING_SECONDS = 300


class PasswordStepView(auth_views.LoginView):
    """Checks the password; on success hands over to the second factor instead of logging in."""

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        agent = form.get_user()
        self.request.session.cycle_key()
        self.request.session[PENDING_KEY] = {
            "agent": agent.pk,
            "backend": getattr(agent, "backend", "django.contrib.auth.backends.ModelBackend"),
            "next": self.get_success_url(),
            "at": time.time(),
        }
        if two_factor.confirmed_device(agent) is None:
            return redirect("staff:enrol")
        return redirect("staff:verify")


def _pending(request: HttpRequest) -> tuple[Agent, dict[str, Any]] | None:
    data = request.session.get(PENDING_KEY)
    if not data or time.time() - float(data.get("at", 0)) > PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return None
    agent = Agent.objects.filter(pk=data["agent"], is_active=True).first()
    return (agent, data) if agent is not None else None


def _client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _complete(request: HttpRequest, agent: Agent, data: dict[str, Any], device: Any) -> HttpResponse:
    auth_login(request, agent, backend=data["backend"])
    otp_login(request, device)
    request.session.pop(PENDING_KEY, None)
    audit.record(actor=audit.actor_of(agent), action="staff.login", target=f"agent:{agent.pk}",
                 ip=_client_ip(request))
    target = data.get("next") or reverse("console:inbox")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("console:inbox")
    return HttpResponseRedirect(target)


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    pending = _pending(request)
    if pending is None:
        messages.error(request, _("Please log in again."))
        return redirect("console:login")
    agent, data = pending
    device = two_factor.confirmed_device(agent)
    if device is None:
        return redirect("staff:enrol")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wait = two_factor.seconds_until_retry(device)
        if wait:
            form.add_error("token", _("Too many wrong codes. Try again in %(seconds)d seconds.")
                           % {"seconds": wait})
        elif two_factor.check_token(agent, device, form.cleaned_data["token"], ip=_client_ip(request)):
            return _complete(request, agent, data, device)
        else:
            form.add_error("token", _("This code is wrong or was already used."))
    return render(request, "staff/verify.html", {"form": form, "agent": agent})


@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    pending = _pending(request)
    if pending is None:
        messages.error(request, _("Please log in again."))
        return redirect("console:login")
    agent, data = pending
    if two_factor.confirmed_device(agent) is not None:
        return redirect("staff:verify")
    device = two_factor.pending_enrolment(agent)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.confirm_enrolment(agent, device, form.cleaned_data["token"],
                                        ip=_client_ip(request)):
            return _complete(request, agent, data, device)
        form.add_error("token", _("This code is wrong. Check the time on your phone and try again."))
    return render(request, "staff/enrol.html", {
        "form": form,
        "agent": agent,
        "qr_svg": two_factor.qr_svg(device),
        "secret": two_factor.secret_base32(device),
    })


def admin_login(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
    """The admin has no login of its own: staff sign in with both factors in the console."""
    target = request.GET.get("next") or reverse("admin:index")
    return redirect(f"{reverse('console:login')}?next={target}")


def locked_out(request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any) -> HttpResponse:
    """django-axes: too many failed passwords for this username from this address."""
    return render(request, "staff/locked_out.html", status=429)
