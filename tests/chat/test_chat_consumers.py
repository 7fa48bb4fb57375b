"""The chat sockets, end to end through the ASGI application, on both channel layers."""

from typing import Any

import pytest

from tests.chat.conftest import agent_socket, cid, visitor
from tests.factories import make_agent
from unlockdesk.chat.models import Conversation, State
from unlockdesk.tickets.models import Direction, Message
from unlockdesk.tickets.types import Channel

pytestmark = pytest.mark.django_db(transaction=True)


async def _talk(socket: Any, text: str = "My account is locked, please help") -> dict[str, Any]:
    client_id = cid()
    await socket.send(type="talk", text=text, client_id=client_id)
    return await socket.wait_for("ack", client_id=client_id)


async def test_chat_customer_message_reaches_agent_and_reply_shows_agent_number(layer: str) -> None:
    agent = make_agent(agent_number="C1001")
    customer, welcome = await visitor()
    ack = await _talk(customer)
    desk, chats = await agent_socket(agent)
    assert [c["ticket"] for c in chats["items"]] == [ack["ticket"]]
    await desk.send(type="open", conversation=welcome["conversation"])
    first = await desk.wait_for("message")
    assert first["direction"] == "in" and "locked" in first["text"]
    await desk.send(type="accept", conversation=welcome["conversation"])
    joined = await customer.wait_for("agent_joined")
    assert "C1001" in joined["agent"]
    await desk.send(type="reply", conversation=welcome["conversation"], text="Checking now.",
                    client_id=cid())
    reply = await customer.wait_for("message", text="Checking now.")
    assert reply["direction"] == "out" and "C1001" in reply["author"]
    await customer.close()
    await desk.close()


async def test_chat_message_is_stored_before_it_is_acknowledged(layer: str) -> None:
    customer, welcome = await visitor()
    ack = await _talk(customer)
    message = Message.objects.get(ticket__number=ack["ticket"], seq=ack["seq"])
    assert message.direction == Direction.INBOUND and message.channel == Channel.CHAT
    assert Conversation.objects.get(public_id=welcome["conversation"]).state == State.WAITING
    await customer.close()


async def test_chat_reconnect_with_last_seq_gets_exactly_what_was_missed(layer: str) -> None:
    agent = make_agent()
    customer, welcome = await visitor()
    await _talk(customer)
    seen = [(await customer.wait_for("message"))["seq"] for _ in range(2)]  # question + acknowledgement
    await customer.close()
    desk, _ = await agent_socket(agent)
    for text in ("one", "two", "three"):
        await desk.send(type="reply", conversation=welcome["conversation"], text=text, client_id=cid())
        await desk.wait_for("ack")
    await desk.send(type="note", conversation=welcome["conversation"], text="internal only",
                    client_id=cid())
    await desk.wait_for("ack")
    back, _ = await visitor(token=welcome["token"], conversation=welcome["conversation"],
                            last_seq=max(seen))
    got = [f for f in await back.quiet(0.8) if f["type"] == "message"]
    assert [f["text"] for f in got] == ["one", "two", "three"]
    assert len({f["seq"] for f in got}) == 3 and min(f["seq"] for f in got) > max(seen)
    await back.close()
    await desk.close()


async def test_chat_resent_message_with_same_client_id_is_stored_once(layer: str) -> None:
    customer, _welcome = await visitor()
    await _talk(customer)
    client_id = cid()
    for _ in range(2):
        await customer.send(type="message", text="same words", client_id=client_id)
        await customer.wait_for("ack", client_id=client_id)
    assert Message.objects.filter(body_text="same words").count() == 1
    await customer.close()


async def test_chat_internal_note_never_reaches_the_customer(layer: str) -> None:
    agent = make_agent()
    customer, welcome = await visitor()
    await _talk(customer)
    desk, _ = await agent_socket(agent)
    await desk.send(type="open", conversation=welcome["conversation"])
    await desk.send(type="note", conversation=welcome["conversation"], text="customer seems stressed",
                    client_id=cid())
    note = await desk.wait_for("message", direction="note")
    assert note["text"] == "customer seems stressed"
    await desk.send(type="reply", conversation=welcome["conversation"], text="visible", client_id=cid())
    frames = [f for f in await customer.quiet(0.8) if f["type"] == "message"]
    assert "visible" in [f["text"] for f in frames]
    assert all(f["text"] != "customer seems stressed" for f in frames)
    await customer.close()
    await desk.close()


async def test_chat_console_asks_for_the_whole_list_again_and_gets_what_it_missed(layer: str) -> None:
    agent = make_agent(agent_number="C1077")
    desk, chats = await agent_socket(agent)
    assert chats["items"] == []
    customer, _ = await visitor()
    ack = await _talk(customer)
    await desk.quiet()  # whatever notices came (or were dropped) on the way
    await desk.send(type="list")
    snapshot = await desk.wait_for("chats")
    assert [c["ticket"] for c in snapshot["items"]] == [ack["ticket"]] and snapshot["me"] == agent.pk
    await customer.close()
    await desk.close()
