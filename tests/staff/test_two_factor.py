"""Staff sign-in: password and TOTP, enrolment, throttling, admin and API behind both factors."""

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD, make_agent
from tests.helpers import console_login, totp_now
from unlockdesk.safety.models import AuditEntry
from unlockdesk.staff import two_factor
from unlockdesk.staff.models import Agent, Role

pytestmark = pytest.mark.django_db


def _password_step(client: Client, agent: Agent, password: str = PASSWORD) -> str:
    response = client.post("/console/login/", {"username": agent.username, "password": password})
    return response.get("Location", "") if response.status_code == 302 else ""


def test_password_alone_does_not_open_the_console(client: Client, agent: Agent) -> None:
    assert _password_step(client, agent) == "/console/staff/two-factor/"
    response = client.get("/console/")
    assert response.status_code == 302 and response["Location"].startswith("/console/login/")


def test_password_and_current_code_open_the_console(client: Client, agent: Agent) -> None:
    console_login(client, agent)
    assert client.get("/console/").status_code == 200


def test_wrong_code_is_refused_and_audited(client: Client, agent: Agent) -> None:
    _password_step(client, agent)
    response = client.post("/console/staff/two-factor/", {"token": "000000"})
    assert response.status_code == 200
    assert client.get("/console/").status_code == 302
    assert AuditEntry.objects.filter(action="staff.2fa_failed").exists()


def test_a_code_is_accepted_only_once(agent: Agent) -> None:
    first, second = Client(), Client()
    code = totp_now(agent)
    _password_step(first, agent)
    assert first.post("/console/staff/two-factor/", {"token": code}).status_code == 302
    _password_step(second, agent)
    assert second.post("/console/staff/two-factor/", {"token": code}).status_code == 200


def test_repeated_wrong_codes_are_throttled(client: Client, agent: Agent) -> None:
    _password_step(client, agent)
    client.post("/console/staff/two-factor/", {"token": "000000"})
    response = client.post("/console/staff/two-factor/", {"token": totp_now(agent)})
    assert response.status_code == 200  # django-otp makes it wait after a failure
    assert b"Too many wrong codes" in response.content or b"\xe8\xaf\x95" in response.content


def test_agent_without_a_device_enrols_with_a_secret_shown_once(client: Client) -> None:
    agent = make_agent(two_factor=False)
    assert _password_step(client, agent) == "/console/staff/two-factor/setup/"
    page = client.get("/console/staff/two-factor/setup/")
    assert b"<svg" in page.content and b"totp-secret" in page.content
    device = TOTPDevice.objects.get(user=agent, confirmed=False)
    response = client.post("/console/staff/two-factor/setup/", {"token": two_factor.current_token(device)})
    assert response.status_code == 302
    assert TOTPDevice.objects.get(user=agent).confirmed
    assert AuditEntry.objects.filter(action="staff.2fa_enrolled").exists()


def test_agent_with_a_device_cannot_enrol_another(client: Client, agent: Agent) -> None:
    _password_step(client, agent)
    assert client.get("/console/staff/two-factor/setup/")["Location"] == "/console/staff/two-factor/"
    assert TOTPDevice.objects.filter(user=agent).count() == 1


def test_second_step_without_the_first_goes_back_to_login(client: Client) -> None:
    response = client.get("/console/staff/two-factor/")
    assert response.status_code == 302 and response["Location"] == "/console/login/"


def test_wrong_passwords_lock_the_username_out(client: Client, agent: Agent, settings) -> None:  # type: ignore[no-untyped-def]
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/console/login/", {"username": agent.username, "password": "wrong-password-1"})
    response = client.post("/console/login/", {"username": agent.username, "password": PASSWORD})
    assert response.status_code == 429


def test_admin_has_no_password_only_login(client: Client) -> None:
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/console/login/")


def test_admin_opens_after_both_factors(client: Client) -> None:
    admin = make_agent(role=Role.ADMIN)
    Agent.objects.filter(pk=admin.pk).update(is_staff=True, is_superuser=True)
    console_login(client, admin)
    assert client.get("/admin/").status_code == 200


def test_api_routes_need_a_two_factor_session(client: Client, agent: Agent) -> None:
    _password_step(client, agent)
    assert client.get("/api/tickets/UD-NOPE00").status_code == 401
    console_login(client, agent)
    assert client.get("/api/tickets/UD-NOPE00").status_code == 404


def test_sessions_expire_when_idle(settings) -> None:  # type: ignore[no-untyped-def]
    # the expiry slides with use (unlockdesk.web.sessions, tested in tests/web/test_sessions.py)
    assert "unlockdesk.web.sessions.SlidingSessionMiddleware" in settings.MIDDLEWARE
    assert settings.SESSION_COOKIE_AGE <= 30 * 60
    assert settings.UNLOCKDESK_SESSION_REFRESH_SECONDS <= settings.SESSION_COOKIE_AGE / 10


def test_pages_carry_a_content_security_policy_without_inline_script(client: Client) -> None:
    policy = client.get("/verify/")["Content-Security-Policy"]
    script = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script and "frame-ancestors 'none'" in policy


def test_no_template_has_inline_script_handlers() -> None:
    from pathlib import Path

    import unlockdesk

    root = Path(unlockdesk.__file__).parent
    offenders = [str(p) for p in root.rglob("*.html")
                 if any(h in p.read_text(encoding="utf-8") for h in (" onchange=", " onclick=", " onsubmit="))
                 or "<script>" in p.read_text(encoding="utf-8")]
    assert offenders == []
