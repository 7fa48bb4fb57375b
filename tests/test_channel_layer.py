"""The embedded default's channel layer: a group send reaches every member with its own copy,
in turn (no task per member), and a member that is not reading does not hold up the rest."""

import asyncio

import pytest

from unlockdesk.channel_layer import SweepingInMemoryChannelLayer


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
