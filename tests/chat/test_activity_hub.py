"""The agents' live list: one reader of customers' message notices per server process."""

import asyncio
from typing import Any

import pytest
from channels.layers import get_channel_layer

from tests.chat.conftest import agent_socket, cid, visitor
from tests.factories import make_agent
from unlockdesk.chat import activity
from unlockdesk.chat.broadcast import ACTIVITY_GROUP


@pytest.mark.django_db(transaction=True)
async def test_agents_on_one_process_share_one_reader_and_each_gets_the_notice(layer: str) -> None:
    desks = [(await agent_socket(make_agent()))[0] for _ in range(3)]
    if layer == "memory":  # the in-memory layer shows its groups: one member, not three
        assert len(get_channel_layer().groups[ACTIVITY_GROUP]) == 1
    customer, welcome = await visitor()
    await customer.send(type="talk", text="my account is locked", client_id=cid())
    ack = await customer.wait_for("ack", timeout=30)
    await customer.send(type="message", text="still there?", client_id=cid())
    sent = await customer.wait_for("ack", seq=ack["seq"] + 2)  # the acknowledgement took one number
    for desk in desks:
        newest = 0
        while newest < sent["seq"]:
            frame = await desk.wait_for("activity")
            newest = max([newest, *(i["seq"] for i in frame["items"] if i["id"] == welcome["conversation"])])
        assert newest == sent["seq"]
        await desk.close()
    await customer.close()


class FakeLayer:
    """new_channel / group_add / receive, as the hub uses them; `fail` makes receive raise."""

    def __init__(self) -> None:
        self.queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.joins: list[tuple[str, str]] = []
        self.channels = 0
        self.fail = False

    async def new_channel(self) -> str:
        self.channels += 1
        return f"reader-{self.channels}"

    async def group_add(self, group: str, channel: str) -> None:
        self.joins.append((group, channel))

    async def receive(self, channel: str) -> dict[str, Any]:
        event = await self.queue.get()
        if self.fail:
            raise ConnectionError("the layer went away")
        return event


class Listener:
    def __init__(self) -> None:
        self.heard_: list[tuple[str, int]] = []

    def heard(self, conversation: str, seq: int) -> None:
        self.heard_.append((conversation, seq))


async def _settle() -> None:
    for _ in range(20):
        await asyncio.sleep(0)


def test_a_listener_that_left_hears_nothing_and_other_events_are_ignored() -> None:
    async def scenario() -> None:
        layer = FakeLayer()
        hub = activity.ActivityHub(layer)
        one, two = Listener(), Listener()
        hub.join(one)
        hub.join(two)
        await _settle()
        assert layer.joins == [(ACTIVITY_GROUP, "reader-1")]  # one reader for both
        layer.queue.put_nowait({"type": "chat.activity", "id": "c1", "seq": 4})
        layer.queue.put_nowait({"type": "chat.queue", "item": {}})
        await _settle()
        hub.leave(one)
        layer.queue.put_nowait({"type": "chat.activity", "id": "c1", "seq": 5})
        await _settle()
        assert one.heard_ == [("c1", 4)]
        assert two.heard_ == [("c1", 4), ("c1", 5)]
        for task in list(hub.tasks):
            task.cancel()
        await _settle()

    asyncio.run(scenario())


def test_a_failed_reader_starts_again_and_joins_again(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(activity, "RESTART_SECONDS", 0.01)
    monkeypatch.setattr(activity, "REJOIN_SECONDS", 0.01)

    async def scenario() -> None:
        layer = FakeLayer()
        hub = activity.ActivityHub(layer)
        listener = Listener()
        hub.join(listener)
        await asyncio.sleep(0.05)
        assert len(layer.joins) >= 2  # memberships expire: the reader joins again
        layer.fail = True
        layer.queue.put_nowait({"type": "chat.activity", "id": "c1", "seq": 1})
        await _settle()
        assert not hub.tasks  # reader and rejoiner went together
        layer.fail = False
        await asyncio.sleep(0.05)
        assert layer.channels == 2  # a new reader
        layer.queue.put_nowait({"type": "chat.activity", "id": "c1", "seq": 2})
        await _settle()
        assert listener.heard_ == [("c1", 2)]
        for task in list(hub.tasks):
            task.cancel()
        await _settle()

    asyncio.run(scenario())
