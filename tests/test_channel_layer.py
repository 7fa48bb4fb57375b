"""The embedded default's channel layer: a group send reaches every member with its own copy,
in turn (no task per member), and a member that is not reading does not hold up the rest.
Synchronous code hands its sends over without waiting for them."""

import asyncio
import time

import pytest

from unlockdesk.channel_layer import SweepingInMemoryChannelLayer
from unlockdesk.tickets import live


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


def test_a_send_from_a_command_does_not_wait_and_is_sent_in_order_before_exit(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Outside a server (the mail intake, commands) the caller hands its sends to the process's
    sender loop and goes on; drain(), run at exit, waits until they have gone out, in order."""
    sent: list[str] = []

    class SlowLayer:
        async def group_send(self, group: str, message: dict[str, object]) -> None:
            await asyncio.sleep(0.05)
            sent.append(f"{group}:{message['n']}")

    monkeypatch.setattr(live, "get_channel_layer", SlowLayer)
    began = time.monotonic()
    for n in range(4):
        live.send([("console", {"n": n}), (f"ticket.{n}", {"n": n})])
    assert time.monotonic() - began < 0.2  # eight sends of 50 ms each: not waited for
    live.drain()
    assert sent == [f"{group}:{n}" for n in range(4) for group in ("console", f"ticket.{n}")]
