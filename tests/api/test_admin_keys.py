"""Admins create keys in the admin: the token is shown once and works; revoked, it stops."""

import re

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from tests.factories import make_agent
from tests.helpers import console_login
from unlockdesk.api import keys
from unlockdesk.api.models import ApiKey
from unlockdesk.intake.outgoing.models import Subscription
from unlockdesk.staff.models import Agent, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client: Client) -> Client:
    admin = make_agent(role=Role.ADMIN)
    Agent.objects.filter(pk=admin.pk).update(is_staff=True, is_superuser=True)
    return console_login(client, admin)


def test_admin_creates_a_key_sees_the_token_once_and_revokes_it(admin_client: Client, agent: Agent) -> None:
    response = admin_client.post("/admin/api/apikey/add/", {
        "name": "risk engine", "agent": agent.pk, "scopes": ["tickets:read", "tickets:write"],
        "expires_at_0": "", "expires_at_1": "", "rate_per_minute": ""}, follow=True)
    assert response.status_code == 200
    shown = " ".join(str(m) for m in get_messages(response.wsgi_request))
    token = re.search(r"udk_\w+_[\w-]+", shown or response.content.decode())
    assert token, response.content.decode()[:2000]
    key = ApiKey.objects.get()
    assert key.scopes == ["tickets:read", "tickets:write"] and keys.key_for_token(token.group(0)) == key
    assert token.group(0) not in admin_client.get(f"/admin/api/apikey/{key.pk}/change/").content.decode()
    admin_client.post("/admin/api/apikey/", {"action": "revoke", "_selected_action": [key.pk]})
    assert keys.key_for_token(token.group(0)) is None


def test_admin_subscribes_a_url_and_sees_its_secret_once(admin_client: Client) -> None:
    response = admin_client.post("/admin/outgoing_webhooks/subscription/add/", {
        "url": "https://risk.example.com/hooks", "description": "risk", "events": ["ticket.created"],
        "active": "on"}, follow=True)
    assert response.status_code == 200
    subscription = Subscription.objects.get()
    assert subscription.secret.startswith("whsec_") and subscription.secret in response.content.decode()
    assert subscription.secret not in admin_client.get(
        f"/admin/outgoing_webhooks/subscription/{subscription.pk}/change/").content.decode()
