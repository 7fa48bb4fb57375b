"""Every staff route refuses anyone without a two-factor console session.

The routes are read from the URL resolver, so a view added tomorrow is checked too: each
console, admin, live-chat console and staff API route is requested (GET and POST, path
parameters filled in) anonymously and with a password-only session, and must answer with a
redirect to the sign-in, 401, 403, 404 or 405: never a page, never a server error.
"""

import re
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories import PASSWORD
from tests.helpers import console_login
from unlockdesk.staff.models import Agent

pytestmark = pytest.mark.django_db

STAFF_PREFIXES = ("console/", "chat/console/", "admin/", "api/tickets")
# Reachable before both factors by design: the sign-in steps themselves.
SIGN_IN = {"console/login/", "console/logout/", "console/staff/two-factor/",
           "console/staff/two-factor/setup/", "admin/login/", "admin/logout/"}
SUPERVISOR_ONLY = ("console/security/", "console/reports/")
REFUSED = {302, 401, 403, 404, 405}

_CONVERTER = re.compile(r"<(?:(?P<kind>\w+):)?(?P<name>\w+)>")
_SAMPLE = {"int": "1", "str": "UD-NOPE00", "slug": "nope", "path": "nope",
           "uuid": "00000000-0000-0000-0000-000000000000"}


def _routes(resolver: URLResolver, prefix: str = "") -> Iterator[str]:
    for pattern in resolver.url_patterns:
        text = str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern, prefix + text)
        elif isinstance(pattern, URLPattern):
            route = prefix + text
            if not any(ch in route for ch in "^$()[]?*+\\"):  # regex routes: admin app lists
                yield route


def _concrete(route: str) -> str:
    return "/" + _CONVERTER.sub(lambda m: _SAMPLE.get(m.group("kind") or "str", "nope"), route)


def staff_routes() -> list[str]:
    routes = {route for route in _routes(get_resolver())
              if route.startswith(STAFF_PREFIXES) and route not in SIGN_IN}
    return sorted(_concrete(route) for route in routes)


def _refused(response: object, path: str) -> str:
    status = response.status_code  # type: ignore[attr-defined]
    if status not in REFUSED:
        return f"{path}: {status}"
    location = response.get("Location", "") if status == 302 else ""  # type: ignore[attr-defined]
    if status == 302 and "/login/" not in location:
        return f"{path}: redirects to {location}"
    return ""


def test_the_sweep_sees_the_routes_that_matter() -> None:
    routes = staff_routes()
    assert len(routes) > 30
    for expected in ("/console/", "/console/security/audit/", "/console/unlock/1/reveal/",
                     "/chat/console/", "/admin/", "/api/tickets/UD-NOPE00"):
        assert expected in routes


def test_anonymous_visitor_gets_no_staff_route(client: Client) -> None:
    problems = [problem for path in staff_routes() for method in (client.get, client.post)
                if (problem := _refused(method(path), path))]
    assert problems == []


def test_password_without_the_second_factor_gets_no_staff_route(client: Client, agent: Agent) -> None:
    agent.is_staff = agent.is_superuser = True
    agent.save(update_fields=["is_staff", "is_superuser"])
    response = client.post("/console/login/", {"username": agent.username, "password": PASSWORD})
    assert response.status_code == 302
    problems = [problem for path in staff_routes() for method in (client.get, client.post)
                if (problem := _refused(method(path), path))]
    assert problems == []


def test_agent_is_refused_supervisor_routes(client: Client, agent: Agent) -> None:
    console_login(client, agent)
    routes = [path for path in staff_routes() if path.startswith(tuple(f"/{p}" for p in SUPERVISOR_ONLY))]
    assert routes
    statuses = {path: client.get(path).status_code for path in routes}
    assert set(statuses.values()) <= {403, 404, 405}, statuses


def test_agent_who_is_not_staff_gets_no_admin_page(client: Client, agent: Agent) -> None:
    console_login(client, agent)
    admin_routes = [path for path in staff_routes() if path.startswith("/admin/")]
    assert admin_routes
    problems = [f"{path}: {status}" for path in admin_routes
                if (status := client.get(path).status_code) == 200 or status >= 500]
    assert problems == []
