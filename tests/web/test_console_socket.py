"""/ws/console/ through the real ASGI application (Origin check, session), on both channel
layers: presence, live inbox rows only for tickets the agent may see, toasts, viewers."""

from typing import Any

import pytest
from channels.db import database_sync_to_async as sync
from channels.layers import get_channel_layer

from tests.chat.conftest import agent_cookie, layer, open_socket  # noqa: F401 (fixture)
from tests.factories import make_agent, receive_one
from tests.tickets.routing_helpers import routed_queues
from unlockdesk.staff.models import Agent, Presence, RoutingProfile
from unlockdesk.staff.notifications import staff_group
from unlockdesk.tickets.models import Queue, Ticket

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("layer")]

PATH = "/ws/console/"


async def console(agent: Agent, **inbox: Any) -> Any:
    connected, socket = await open_socket(PATH, cookie=agent_cookie(agent))
    assert connected
    hello = await socket.wait_for("hello")
    assert hello["presence"] == Presence.ONLINE
    await socket.send(type="inbox", filters=inbox, first=True)
    return socket


async def test_a_signed_out_visitor_is_refused() -> None:
    connected, _socket = await open_socket(PATH)
    assert not connected


async def test_a_foreign_origin_is_refused() -> None:
    connected, _socket = await open_socket(PATH, cookie=agent_cookie(make_agent()),
                                           origin=b"https://evil.example")
    assert not connected


async def test_a_new_ticket_appears_as_a_row_with_its_words() -> None:
    socket = await console(make_agent())
    number = (await sync(receive_one)(text="请帮忙看看", sender="live@example.com")).ticket_number
    row = await socket.wait_for("row", number=number)
    assert f'data-number="{number}"' in row["html"] and row["insert"] is True
    await socket.close()


async def test_a_ticket_of_another_queue_is_never_pushed() -> None:
    agent = make_agent()
    Queue.objects.create(slug="unlock", name="Unlock").agents.add(agent)  # not "security", P1
    socket = await console(agent)
    hidden = (await sync(receive_one)(text="我的账户被盗了", sender="p1@example.com")).ticket_number
    shown = (await sync(receive_one)(text="我的账户被锁了", sender="l@example.com")).ticket_number
    await socket.wait_for("row", number=shown)
    assert not [f for f in socket.frames if f.get("number") == hidden]
    assert not [f for f in await socket.quiet(0.5) if f.get("number") == hidden]
    await socket.close()


async def test_a_row_that_no_longer_passes_the_filter_is_removed() -> None:
    agent = make_agent()
    socket = await console(agent, mine="1")
    number = (await sync(receive_one)(text="请帮忙看看", sender="mine@example.com")).ticket_number
    await socket.wait_for("gone", number=number)  # not mine: never shown
    from unlockdesk.tickets.services.assignment import take

    await sync(lambda: take(Ticket.objects.get(number=number), by=agent))()
    await socket.wait_for("row", number=number)
    await socket.close()


async def test_a_p1_ticket_raises_a_toast_and_an_assignment_tells_the_assignee() -> None:
    routed_queues()
    agent = make_agent()
    socket = await console(agent)
    RoutingProfile.objects.filter(agent=agent).update(languages=["zh-hans"])
    number = (await sync(receive_one)(text="我的账户被盗了", sender="stolen@example.com")).ticket_number
    toasts = [await socket.wait_for("notification") for _ in range(2)]
    kinds = {t["kind"] for t in toasts}
    assert kinds == {"p1", "assigned"}
    assert all(number in t["title"] and t["url"].endswith(f"/console/tickets/{number}/") for t in toasts)
    await socket.close()


async def test_any_service_can_toast_an_agent_through_the_staff_group() -> None:
    agent = make_agent()
    socket = await console(agent)
    await get_channel_layer().group_send(staff_group(agent.pk), {
        "type": "staff.notification", "kind": "sla", "title": "SLA breach soon",
        "body": "UD-1 in 10 minutes", "url": "/console/tickets/UD-1/"})
    toast = await socket.wait_for("notification")
    assert toast["kind"] == "sla" and toast["title"] == "SLA breach soon"
    assert toast["url"] == "/console/tickets/UD-1/"
    await socket.close()


async def test_presence_follows_the_choice_and_goes_offline_with_the_last_socket() -> None:
    agent = make_agent()
    first = await console(agent)
    second = await console(agent)
    await first.send(type="presence", presence="away")
    assert (await first.wait_for("presence"))["presence"] == "away"
    await first.close()
    assert RoutingProfile.objects.get(agent=agent).presence == Presence.AWAY
    await second.close()
    profile = RoutingProfile.objects.get(agent=agent)
    assert profile.presence == Presence.OFFLINE and profile.chosen == Presence.AWAY


async def test_agents_on_the_same_ticket_see_each_other_and_typing() -> None:
    lin, mei = make_agent(), make_agent()
    number = (await sync(receive_one)(text="请帮忙看看", sender="view@example.com")).ticket_number
    one = await console(lin)
    await one.send(type="view", ticket=number)
    two = await console(mei)
    await two.send(type="view", ticket=number)
    seen_by_one = await one.wait_for("viewer", state="viewing")
    seen_by_two = await two.wait_for("viewer", state="viewing")
    assert seen_by_one["name"] == mei.public_name and seen_by_two["name"] == lin.public_name
    await two.send(type="typing")
    assert (await one.wait_for("viewer", state="typing"))["name"] == mei.public_name
    await two.close()
    assert (await one.wait_for("viewer", state="left"))["name"] == mei.public_name
    await one.close()


async def test_an_oversized_frame_closes_the_socket() -> None:
    socket = await console(make_agent())
    await socket.send_raw("x" * 5000)
    output = await socket.ws.receive_output(timeout=3)
    assert output["type"] == "websocket.close"


async def test_malformed_frames_are_ignored_and_the_socket_keeps_working() -> None:
    socket = await console(make_agent())
    for raw in ("not json", "[1, 2]", '{"type": 5}', '{"type": "inbox", "filters": [1]}',
                '{"type": "inbox", "filters": {"status": 7, "priority": {"x": 1}, "mine": []}}',
                '{"type": "view", "ticket": {"a": 1}}', '{"type": "presence", "presence": "asleep"}',
                '{"type": "typing"}', '"\\ud800"'):
        await socket.send_raw(raw)
    await socket.send(type="inbox", filters={}, first=True)
    number = (await sync(receive_one)(text="请帮忙看看", sender="after@example.com")).ticket_number
    await socket.wait_for("row", number=number)
    await socket.close()


async def test_a_new_chat_raises_a_toast_but_an_ordinary_ticket_does_not() -> None:
    socket = await console(make_agent())
    mail = (await sync(receive_one)(text="请帮忙看看", sender="mail@example.com")).ticket_number
    await socket.wait_for("row", number=mail)
    chat = (await sync(receive_one)(text="请帮忙看看", sender="chat@example.com",
                                    channel="chat")).ticket_number
    toast = await socket.wait_for("notification")
    assert toast["kind"] == "chat" and chat in toast["title"]
    assert not [f for f in socket.frames if f["type"] == "notification" and mail in f["title"]]
    await socket.close()
