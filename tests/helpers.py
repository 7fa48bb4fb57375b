"""Signing in, for tests: one place that knows how the console and the portal authenticate.

Every test that needs a signed-in agent or customer uses these, so a change to the login
flow (two-factor, throttling) is made here once.
"""

import re
from typing import Any

from django.core import mail
from django.test import Client

from tests.factories import PASSWORD
from unlockdesk.intake.models import OutboxItem
from unlockdesk.staff.models import Agent


def console_login(client: Client, agent: Agent) -> Client:
    """Sign an agent in to the console through the real two-step form: password, then TOTP."""
    response = client.post("/console/login/", {"username": agent.username, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    assert response["Location"].startswith("/console/staff/two-factor/"), response["Location"]
    response = client.post("/console/staff/two-factor/", {"token": totp_now(agent)})
    assert response.status_code == 302, response.content[:500]
    return client


def totp_now(agent: Agent) -> str:
    """The code the agent's authenticator app shows now, computed from their device.

    A code is accepted once (replay protection). When a test signs the same agent in twice
    within one 30-second step, the device is moved back one step first, as if the second
    sign-in happened in the next step.
    """
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user=agent, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if device.last_t >= totp.t():
        TOTPDevice.objects.filter(pk=device.pk).update(last_t=totp.t() - 1)
    return f"{totp.token():0{device.digits}d}"


def last_code_sent_to(address: str) -> str:
    """The newest 6-digit code sent to a normalised address: by email (locmem) or the outbox."""
    item = OutboxItem.objects.filter(to=address).order_by("-id").first()
    emails = [str(m.body) for m in getattr(mail, "outbox", []) if address in m.to]
    body = item.body if item is not None else (emails[-1] if emails else "")
    found = re.findall(r"\b\d{6}\b", body)
    assert found, f"no code was sent to {address}"
    return found[0]  # the code comes first; the footer may hold an anti-phishing code


def portal_login(client: Client, address: str) -> Client:
    """Sign a customer in to the portal with the one-time code actually sent."""
    response = client.post("/portal/signin/", {"address": address})
    assert response.status_code == 302, response.content[:500]
    code = last_code_sent_to(codes_destination(address))
    response = client.post("/portal/signin/code/", {"code": code})
    assert response.status_code == 302, response.content[:500]
    return client


def browser_console_login(page: Any, base_url: str, agent: Agent) -> None:
    """Playwright: sign an agent in through the console's login page."""
    page.goto(f"{base_url}/console/login/")
    page.fill("#id_username", agent.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/console/staff/two-factor/")
    page.fill("#id_token", totp_now(agent))
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/console/" in url and "/console/staff/" not in url)


def browser_portal_login(page: Any, base_url: str, address: str) -> None:
    """Playwright: sign a customer in with the code the outbox received."""
    page.goto(f"{base_url}/portal/signin/")
    page.fill("#id_address", address)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/portal/signin/code/")
    page.fill("#id_code", last_code_sent_to(codes_destination(address)))
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/portal/**")


def codes_destination(address: str) -> str:
    from unlockdesk.accounts.identifiers import normalize_contact_address

    return normalize_contact_address(address)[1]

