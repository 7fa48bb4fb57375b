"""Live sends from synchronous code: on the in-memory layer, groups nobody in this process
listens to are skipped without a hop to a loop; a member still gets its message."""

from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.layers import channel_layers, get_channel_layer

from unlockdesk.tickets import live

MEMORY_LAYER = "unlockdesk.channel_layer.SweepingInMemoryChannelLayer"


@pytest.fixture
def memory_layer(settings: Any) -> Any:
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": MEMORY_LAYER}}
    channel_layers.backends = {}
    yield get_channel_layer()
    channel_layers.backends = {}


def test_a_send_to_groups_without_members_makes_no_hop(memory_layer: Any,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    hops: list[object] = []
    monkeypatch.setattr(live, "run_from_sync", lambda make, **kw: hops.append(make))
    live.send([("ticket.1", {"type": "ticket.event"}), ("agents", {"type": "chat.activity"})])
    assert hops == []


def test_a_member_in_this_process_still_gets_the_message(memory_layer: Any) -> None:
    channel = async_to_sync(memory_layer.new_channel)()
    async_to_sync(memory_layer.group_add)("ticket.2", channel)
    live.send([("ticket.1", {"type": "ticket.event", "n": 1}),
               ("ticket.2", {"type": "ticket.event", "n": 2})])
    received = async_to_sync(memory_layer.receive)(channel)
    assert received["n"] == 2
