"""Every customer-facing route refuses anyone but the ticket's own customer."""

import json
from typing import Any

import pytest
from django.test import Client

from tests.factories import inbound, make_account
from tests.helpers import console_login, portal_login
from unlockdesk.accounts.types import LockReason
from unlockdesk.records.models import RecordsExport
from unlockdesk.tickets.models import Attachment, Ticket
from unlockdesk.tickets.services import receive
from unlockdesk.tickets.types import Channel, IdentityKind, InboundAttachment

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def owners_ticket() -> Ticket:
    make_account(email="owner@example.com")
    receipt = receive(inbound(channel=Channel.WEB, sender="owner@example.com", verified=True,
                              kind=IdentityKind.EMAIL,
                              attachments=(InboundAttachment("statement.pdf", PDF),)))
    return Ticket.objects.get(pk=receipt.ticket_id)


def customer_routes(ticket: Ticket) -> list[str]:
    attachment = Attachment.objects.get(message__ticket=ticket)
    return [
        f"/portal/tickets/{ticket.number}/",
        f"/portal/tickets/{ticket.number}/transcript/",
        f"/portal/attachments/{attachment.pk}/",
    ]


def test_owner_reaches_every_route(client: Client, owners_ticket: Ticket) -> None:
    portal_login(client, "owner@example.com")
    for url in customer_routes(owners_ticket):
        assert client.get(url).status_code == 200, url


def test_another_customer_is_refused_everywhere(client: Client, owners_ticket: Ticket) -> None:
    make_account(email="other@example.com")
    portal_login(client, "other@example.com")
    for url in customer_routes(owners_ticket):
        assert client.get(url).status_code == 404, url
    response = client.post(f"/portal/tickets/{owners_ticket.number}/",
                           {"text": "let me in", "client_id": "5f0c7c8e-4d3f-4e38-9a51-1d2b8c0a9e11"})
    assert response.status_code == 404
    assert owners_ticket.messages.count() == 2


def test_ticket_number_alone_grants_nothing(client: Client, owners_ticket: Ticket) -> None:
    for url in customer_routes(owners_ticket):
        response = client.get(url)
        assert response.status_code == 302 and "/portal/signin/" in response["Location"], url


def test_export_contains_only_own_records(
    client: Client, owners_ticket: Ticket, django_capture_on_commit_callbacks: Any
) -> None:
    receive(inbound(sender="someone-else@example.com", text="not yours"))
    portal_login(client, "owner@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/portal/export/")
    export = RecordsExport.objects.get()
    data = json.loads(client.get(f"/portal/export/{export.public_id}/json/").content)["records"]
    assert [t["number"] for t in data["tickets"]] == [owners_ticket.number]


def test_customer_session_does_not_open_the_console(client: Client, owners_ticket: Ticket) -> None:
    portal_login(client, "owner@example.com")
    response = client.get("/console/")
    assert response.status_code == 302 and "/console/login/" in response["Location"]
    assert client.get(f"/api/tickets/{owners_ticket.number}").status_code == 401


def test_console_routes_need_an_agent(client: Client, owners_ticket: Ticket) -> None:
    for url in ["/console/", f"/console/tickets/{owners_ticket.number}/",
                f"/console/attachments/{Attachment.objects.get().pk}/"]:
        response = client.get(url)
        assert response.status_code == 302 and "/console/login/" in response["Location"], url


def test_agent_views_attachment_and_it_is_audited(client: Client, owners_ticket: Ticket,
                                                   agent) -> None:  # type: ignore[no-untyped-def]
    from unlockdesk.safety.models import AuditEntry

    console_login(client, agent)
    attachment = Attachment.objects.get()
    response = client.get(f"/console/attachments/{attachment.pk}/")
    assert response.status_code == 200 and response.content == PDF
    assert response["Cache-Control"] == "private, no-store"
    assert AuditEntry.objects.filter(action="attachment.view",
                                     target=f"attachment:{attachment.pk}").exists()


def test_internal_notes_never_reach_the_customer(client: Client, owners_ticket: Ticket,
                                                 agent) -> None:  # type: ignore[no-untyped-def]
    from unlockdesk.tickets.services import reply

    reply(ticket=owners_ticket, agent=agent, text="customer seems genuine", internal=True)
    portal_login(client, "owner@example.com")
    page = client.get(f"/portal/tickets/{owners_ticket.number}/").content.decode()
    transcript = client.get(f"/portal/tickets/{owners_ticket.number}/transcript/").content.decode()
    assert "customer seems genuine" not in page + transcript


def test_demo_outbox_is_closed_outside_demo_mode(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.DEMO_MODE = False
    assert client.get("/demo/outbox/").status_code == 403


def test_stolen_account_card_offers_chat_and_phone_not_just_words(client: Client) -> None:
    make_account(email="stolen-card@example.com", lock=LockReason.STOLEN_REPORT)
    body = portal_login(client, "stolen-card@example.com").get("/portal/").content.decode()
    card = body[body.index('class="actions agent-now"'):]
    assert "data-open-chat" in card[:400] and "/help/phone-support/" in card[:400]
