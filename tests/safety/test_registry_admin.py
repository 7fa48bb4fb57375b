"""The official-channel registry and the blocklist are managed in the admin: values are stored
the way the verifier reads them, bad ones are refused, and every change is audited."""

import pytest
from django.test import Client

from tests.factories import make_agent
from tests.helpers import console_login
from unlockdesk.safety.models import AuditEntry, BlockedContact, ContactKind, OfficialChannel
from unlockdesk.safety.verifier import verify
from unlockdesk.staff.models import Agent, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client: Client) -> Client:
    admin = make_agent(role=Role.ADMIN)
    Agent.objects.filter(pk=admin.pk).update(is_staff=True, is_superuser=True)
    console_login(client, admin)
    return client


@pytest.mark.parametrize(("kind", "typed", "stored", "checked"), [
    (ContactKind.TELEGRAM, "https://t.me/OKX_CN", "okx_cn", "@okx_cn"),
    (ContactKind.X, "@OKXHelp", "okxhelp", "https://x.com/okxhelp"),
    (ContactKind.PHONE, "+86 400 1234 5678", "+8640012345678", "+86-400-1234-5678"),
    (ContactKind.EMAIL, "Help@OKX-Mail.com", "help@okx-mail.com", "help@okx-mail.com"),
    (ContactKind.DOMAIN, "https://www.OKX-Help.com/path", "www.okx-help.com", "https://www.okx-help.com"),
])
def test_admin_adds_an_official_contact_in_the_verifier_form(
    admin_client: Client, kind: ContactKind, typed: str, stored: str, checked: str
) -> None:
    response = admin_client.post("/admin/safety/officialchannel/add/",
                                 {"kind": kind, "value": typed, "label": "", "active": "on"})
    assert response.status_code == 302, response.content[:2000]
    assert OfficialChannel.objects.get().value == stored
    assert verify(checked).verdict == "official"
    assert AuditEntry.objects.filter(action="officialchannel.add").exists()


def test_value_of_the_wrong_kind_is_refused_and_nothing_is_stored(admin_client: Client) -> None:
    response = admin_client.post("/admin/safety/officialchannel/add/",
                                 {"kind": ContactKind.PHONE, "value": "not a number", "active": "on"})
    assert response.status_code == 200
    assert not OfficialChannel.objects.exists()


def test_blocklist_entry_added_by_hand_is_called_out(admin_client: Client) -> None:
    admin_client.post("/admin/safety/blockedcontact/add/",
                      {"kind": ContactKind.DOMAIN, "value": "HTTPS://Cheap-USDT.io/",
                       "reason": "seen in a scam"})
    assert BlockedContact.objects.get().value == "cheap-usdt.io"
    assert verify("cheap-usdt.io").technique == "blocklist"
    assert AuditEntry.objects.filter(action="blockedcontact.add").exists()
