"""Fan-out: a new message's announcement carries its stored frame (with its sequence number);
a socket that is up to date shows it without reading the database, and reads only when it
sees a gap in the numbers."""

from typing import Any

import pytest
from channels.layers import get_channel_layer

from tests.chat.conftest import agent_socket, cid, visitor
from tests.factories import make_agent
from unlockdesk.chat import consumers
from unlockdesk.tickets.events import ticket_group
from unlockdesk.tickets.models import Ticket

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """Every database catch-up a socket makes: (ticket id, after seq)."""
    seen: list[tuple[int, int]] = []
    real = consumers._missed_frames

    def counted(ticket_id: int, after: int, for_customer: bool) -> list[dict[str, Any]]:
        seen.append((ticket_id, after))
        return real(ticket_id, after, for_customer)

    monkeypatch.setattr(consumers, "_missed_frames", counted)
    return seen


async def test_chat_up_to_date_sockets_show_pushed_frames_without_reading(
    layer: str, reads: list[tuple[int, int]],
) -> None:
    agent = make_agent()
    customer, welcome = await visitor()
    await customer.send(type="talk", text="my account is locked", client_id=cid())
    ack = await customer.wait_for("ack", timeout=30)  # the first help search loads its index
    await customer.wait_for("message", seq=ack["seq"] + 1)  # the acknowledgement
    desk, _ = await agent_socket(agent)
    await desk.send(type="open", conversation=welcome["conversation"])
    await desk.wait_for("message", seq=ack["seq"] + 1)
    reads.clear()  # joining reads once (catching up from the cursor the client gave)

    for n in range(3):
        await desk.send(type="reply", conversation=welcome["conversation"], text=f"answer {n}",
                        client_id=cid())
        shown = await customer.wait_for("message", text=f"answer {n}")
        assert "(" in shown["author"]  # name and 工号, built from the stored row
        await customer.send(type="message", text=f"question {n}", client_id=cid())
        got = await desk.wait_for("message", text=f"question {n}")
        assert got["direction"] == "in" and got["seq"] == shown["seq"] + 1
    await desk.send(type="note", conversation=welcome["conversation"], text="internal", client_id=cid())
    await desk.wait_for("message", text="internal")
    assert "internal" not in [f.get("text") for f in await customer.quiet(0.4)]  # notes stay inside
    assert reads == []
    await customer.close()
    await desk.close()


async def test_chat_socket_reads_the_database_only_on_a_gap(
    layer: str, reads: list[tuple[int, int]],
) -> None:
    customer, _welcome = await visitor()
    await customer.send(type="talk", text="my account is locked", client_id=cid())
    ack = await customer.wait_for("ack", timeout=30)  # the first help search loads its index
    await customer.wait_for("message", seq=ack["seq"] + 1)  # the acknowledgement
    ticket = await _ticket(ack["ticket"])
    reads.clear()
    layer_ = get_channel_layer()
    assert layer_ is not None

    # Two messages stored; only the second one's push arrives (the first one's was lost).
    await _append_without_announcing(ticket.pk, "missed reply")
    await _append_without_announcing(ticket.pk, "pushed reply")
    last = (await _ticket(ack["ticket"])).last_seq
    pushed = {"type": "message", "seq": last, "direction": "out", "text": "pushed reply",
              "author": "", "at": "", "client_id": "", "attachments": []}
    event = {"type": "ticket.event", "kind": "message", "id": ticket.pk, "seq": last,
             "frames": [{"seq": last, "customer": pushed, "agent": pushed}]}
    await layer_.group_send(ticket_group(ticket.pk), event)
    shown = [f for f in await customer.quiet(0.5) if f["type"] == "message"]
    assert [(f["seq"], f["text"]) for f in shown] == [(last - 1, "missed reply"), (last, "pushed reply")]
    assert reads == [(ticket.pk, last - 2)]  # one read, from the cursor

    # A late copy of the announcement shows nothing again and reads nothing.
    await layer_.group_send(ticket_group(ticket.pk), event)
    assert not [f for f in await customer.quiet(0.3) if f["type"] == "message"]
    assert len(reads) == 1
    await customer.close()


async def _ticket(number: str) -> Ticket:
    from channels.db import database_sync_to_async

    return await database_sync_to_async(Ticket.objects.get)(number=number)


async def _append_without_announcing(ticket_id: int, text: str) -> None:
    from channels.db import database_sync_to_async
    from django.db import transaction

    from unlockdesk.tickets.models import Delivery, Direction
    from unlockdesk.tickets.services.inbound import append_message

    def append() -> None:
        with transaction.atomic():
            ticket = Ticket.objects.select_for_update().get(pk=ticket_id)
            append_message(ticket, direction=Direction.OUTBOUND, channel=ticket.channel,
                           body_text=text, delivery=Delivery.NOT_APPLICABLE)

    await database_sync_to_async(append)()


async def test_an_agents_live_list_gets_new_messages_gathered_in_one_frame(layer: str) -> None:
    """Each customer message tells every agent's live list; a burst arrives as one frame with
    the newest number of each conversation, not a frame per message."""
    agent = make_agent()
    desk, _ = await agent_socket(agent)
    chats = []
    for n in range(2):
        customer, welcome = await visitor()
        await customer.send(type="talk", text=f"my account is locked {n}", client_id=cid())
        chats.append((customer, welcome["conversation"], await customer.wait_for("ack", timeout=30)))
    await desk.quiet(0.5)  # the queue notices of the new chats
    for customer, _conversation, _ack in chats:
        for n in range(3):
            await customer.send(type="message", text=f"still there {n}?", client_id=cid())
    last = {conversation: (await customer.wait_for("ack", seq=ack["seq"] + 4))["seq"]
            for customer, conversation, ack in chats}  # the acknowledgement took one number
    frames = [f for f in await desk.quiet(1.0) if f["type"] == "activity"]
    newest: dict[str, int] = {}
    for frame in frames:
        for item in frame["items"]:
            newest[item["id"]] = max(newest.get(item["id"], 0), item["seq"])
    assert newest == last
    assert len(frames) < 6  # six messages, gathered
    for customer, _conversation, _ack in chats:
        await customer.close()
    await desk.close()
