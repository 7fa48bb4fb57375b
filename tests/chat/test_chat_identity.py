"""Who the visitor is: anonymous by signed token, UID only with a valid HMAC, one-time code,
or the portal session."""

import pytest
from django.test import Client

from tests.chat.conftest import cid, visitor
from tests.factories import make_account
from tests.helpers import last_code_sent_to, portal_login
from unlockdesk.chat.identity import uid_hash
from unlockdesk.tickets.models import Ticket

pytestmark = pytest.mark.django_db(transaction=True)


async def test_chat_anonymous_visitor_gets_a_signed_token(layer: str) -> None:
    socket, welcome = await visitor()
    assert welcome["token"] and welcome["verified"] is False
    await socket.close()


async def test_chat_uid_with_valid_hmac_links_the_exchange_account(layer: str, settings) -> None:
    settings.UNLOCKDESK_CHAT_IDENTITY_SECRET = "shared-with-the-exchange"
    account = make_account(uid="88001234")
    socket, welcome = await visitor(uid="88001234", uid_hash=uid_hash("88001234"))
    assert welcome["verified"] is True
    await socket.send(type="talk", text="my account is locked", client_id=cid())
    ack = await socket.wait_for("ack")
    assert Ticket.objects.get(number=ack["ticket"]).account == account
    await socket.close()


async def test_chat_uid_the_browser_merely_claims_is_refused(layer: str, settings) -> None:
    settings.UNLOCKDESK_CHAT_IDENTITY_SECRET = "shared-with-the-exchange"
    make_account(uid="88001235")
    from tests.chat.conftest import open_socket

    _connected, socket = await open_socket("/ws/chat/visitor/")
    await socket.send(type="hello", uid="88001235", uid_hash="0" * 64)
    assert (await socket.wait_for("error"))["code"] == "identity"
    assert (await socket.ws.receive_output(timeout=2))["type"] == "websocket.close"
    assert Ticket.objects.count() == 0


async def test_chat_one_time_code_identifies_the_visitor_and_links_the_account(layer: str) -> None:
    account = make_account(email="coded@example.com")
    socket, _ = await visitor()
    await socket.send(type="identify", address="Coded@Example.com")
    await socket.wait_for("code_sent")
    await socket.send(type="verify", code="000000" if last_code_sent_to("coded@example.com") != "000000"
                      else "111111")
    assert (await socket.wait_for("error"))["code"] == "code"
    await socket.send(type="verify", code=last_code_sent_to("coded@example.com"))
    verified = await socket.wait_for("verified")
    assert "coded@example.com" not in verified["identity"]  # masked
    await socket.send(type="talk", text="locked out", client_id=cid())
    ack = await socket.wait_for("ack")
    assert Ticket.objects.get(number=ack["ticket"]).account == account
    await socket.close()


async def test_chat_portal_session_identifies_the_customer(layer: str) -> None:
    account = make_account(email="portal-chat@example.com")
    client = portal_login(Client(), "portal-chat@example.com")
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    socket, welcome = await visitor(cookie=cookie)
    assert welcome["verified"] is True
    await socket.send(type="talk", text="question about my lock", client_id=cid())
    ack = await socket.wait_for("ack")
    assert Ticket.objects.get(number=ack["ticket"]).account == account
    await socket.close()
