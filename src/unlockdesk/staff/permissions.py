"""Role checks for views and API routes, so no view spells a role rule itself.

A console session counts only when it passed both factors (password and TOTP).
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from ninja.security import SessionAuth

from unlockdesk.staff.models import Agent, Role

View = TypeVar("View", bound=Callable[..., HttpResponse])


def is_verified(request: HttpRequest) -> bool:
    """Both factors passed in this session (django-otp's OTPMiddleware sets `is_verified`)."""
    check = getattr(request.user, "is_verified", None)
    return bool(check and check())


def staff_agent(request: HttpRequest) -> Agent | None:
    """The signed-in agent, only for a session that passed both factors."""
    user = request.user
    if isinstance(user, Agent) and user.is_authenticated and user.is_active and is_verified(request):
        return user
    return None


def require_role(role: Role) -> Callable[[View], View]:
    """Console views: anonymous -> login page; signed in without the role -> 403."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            agent = staff_agent(request)
            if agent is None:
                return redirect_to_login(request.get_full_path())
            if not agent.has_role(role):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate


class AgentSessionAuth(SessionAuth):
    """django-ninja auth for API routes: a two-factor console session with at least `role`.

    Unsafe methods keep SessionAuth's CSRF check.
    """

    def __init__(self, role: Role = Role.AGENT) -> None:
        super().__init__()
        self.role = role

    def authenticate(self, request: HttpRequest, key: str | None) -> Agent | None:
        agent = staff_agent(request)
        if agent is None or not agent.has_role(self.role):
            return None
        return agent


agent_auth = AgentSessionAuth(Role.AGENT)
