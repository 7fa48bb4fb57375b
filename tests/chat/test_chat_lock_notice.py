"""An agent with a chat open sees, live, when the exchange locks or lifts that account."""

from typing import Any

import pytest
from asgiref.sync import sync_to_async

from tests.accounts.feed_events import account_event, lock_event
from tests.chat.conftest import agent_socket, cid, visitor
from tests.factories import make_agent
from unlockdesk.accounts import feed
from unlockdesk.accounts.models import ExchangeAccount
from unlockdesk.tickets.models import Ticket

pytestmark = pytest.mark.django_db(transaction=True)


def _link_ticket_to_account(number: str, uid: str) -> None:
    feed.apply_events([account_event(uid)])
    Ticket.objects.filter(number=number).update(account=ExchangeAccount.objects.get(uid=uid))


async def test_agent_sees_a_lock_placed_and_lifted_live_the_customer_does_not(layer: str) -> None:
    customer, welcome = await visitor()
    await customer.send(type="talk", text="My account is locked", client_id=cid())
    ack = await customer.wait_for("ack", timeout=20)
    await sync_to_async(_link_ticket_to_account)(ack["ticket"], "33000001")
    desk, _chats = await agent_socket(await sync_to_async(make_agent)())
    await desk.send(type="open", conversation=welcome["conversation"])
    await desk.wait_for("message")

    apply: Any = sync_to_async(feed.apply_events)
    await apply([lock_event("33000001", lock_id="C-1", reason="suspicious_login")])
    placed = await desk.wait_for("lock")
    assert (placed["ticket"], placed["change"], placed["reason"]) == (
        ack["ticket"], "placed", "suspicious_login")
    assert placed["text"]
    await apply([lock_event("33000001", lock_id="C-1", reason="suspicious_login", version=2,
                            lifted_at="2026-12-02T10:00:00+08:00")])
    assert (await desk.wait_for("lock"))["change"] == "lifted"
    assert not [f for f in await customer.quiet() if f.get("type") == "lock"]
    await customer.close()
    await desk.close()
