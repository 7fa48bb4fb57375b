"""The embedded default's channel layer: a group send reaches every member with its own copy,
in turn (no task per member), and a member that is not reading does not hold up the rest.
Several group sends at once (group_send_many) keep their order on both layers."""

import asyncio
import uuid

import pytest
from channels_redis.pubsub import RedisPubSubChannelLayer

from tests.chat.conftest import REDIS, redis_available
from unlockdesk.channel_layer import SweepingInMemoryChannelLayer, group_send_many


async def test_group_send_gives_each_member_its_own_copy() -> None:
    layer = SweepingInMemoryChannelLayer()
    names = [await layer.new_channel() for _ in range(3)]
    for name in names:
        await layer.group_add("ticket.1", name)
    message = {"type": "ticket.event", "frames": [{"seq": 1, "text": "hello"}]}
    await layer.group_send("ticket.1", message)
    got = [await asyncio.wait_for(layer.receive(name), 1) for name in names]
    assert got == [message] * 3
    got[0]["frames"][0]["text"] = "changed by one socket"
    assert got[1]["frames"][0]["text"] == "hello" and message["frames"][0]["text"] == "hello"


async def test_a_full_member_does_not_stop_the_others(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[object] = []
    real_create_task = asyncio.create_task

    def counted(coro, **kwargs):  # type: ignore[no-untyped-def]
        started.append(coro)
        return real_create_task(coro, **kwargs)

    monkeypatch.setattr(asyncio, "create_task", counted)
    layer = SweepingInMemoryChannelLayer(capacity=1)
    stuck, reading = await layer.new_channel(), await layer.new_channel()
    for name in (stuck, reading):
        await layer.group_add("agents", name)
    await layer.send(stuck, {"type": "first"})  # its one slot is taken
    await layer.group_send("agents", {"type": "second"})
    assert started == []  # in turn, not a task per member
    assert (await asyncio.wait_for(layer.receive(reading), 1))["type"] == "second"
    assert (await asyncio.wait_for(layer.receive(stuck), 1))["type"] == "first"


async def test_group_send_refuses_what_is_not_a_message() -> None:
    layer = SweepingInMemoryChannelLayer()
    with pytest.raises(TypeError):
        await layer.group_send("agents", ["not", "a", "dict"])  # type: ignore[arg-type]


@pytest.mark.parametrize("backend", ["memory", "redis"])
async def test_several_group_sends_arrive_in_order_as_one_by_one(backend: str) -> None:
    """group_send_many pipelines the Redis layer's PUBLISHes: each member still gets every
    message of its groups, in the order they were given."""
    if backend == "redis":
        if not redis_available():
            pytest.skip("Redis is not running")
        layer = RedisPubSubChannelLayer(hosts=[{"address": REDIS, "socket_timeout": None}],
                                        prefix=f"many-{uuid.uuid4().hex[:8]}:")
    else:
        layer = SweepingInMemoryChannelLayer()
    try:
        one, both = await layer.new_channel(), await layer.new_channel()
        await layer.group_add("tickets", one)
        await layer.group_add("tickets", both)
        await layer.group_add("agents", both)
        sends = [("tickets", {"type": "t", "n": 1}), ("agents", {"type": "a", "n": 2}),
                 ("tickets", {"type": "t", "n": 3}), ("nobody", {"type": "x", "n": 4}),
                 ("agents", {"type": "a", "n": 5})]
        await group_send_many(layer, sends)
        got_one = [await asyncio.wait_for(layer.receive(one), 5) for _ in range(2)]
        got_both = [await asyncio.wait_for(layer.receive(both), 5) for _ in range(4)]
        assert [m["n"] for m in got_one] == [1, 3]
        assert [m["n"] for m in got_both] == [1, 2, 3, 5]
    finally:
        await layer.flush()
