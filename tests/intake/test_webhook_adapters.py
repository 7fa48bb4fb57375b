"""The social adapters share one shape: CHANNEL, ADDRESS_KIND, `parse(raw)` returning a list of
inbound items and raising only BadPayload on anything it cannot read, and `deliver`."""

import copy
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest

from tests.intake import webhook_signing as hooks
from unlockdesk.intake import facebook, telegram, x
from unlockdesk.intake.payloads import BadPayload
from unlockdesk.tickets import hooks as pipeline_hooks
from unlockdesk.tickets.types import InboundMessage

ADAPTERS: dict[str, ModuleType] = {"telegram": telegram, "facebook": facebook, "x": x}
WRONG: list[Any] = [None, 0, 10**30, -1.5, True, False, "", "x" * 500, [], [None], ["x"], {}, {"x": 1},
                    [[[]]], {"id": {"id": None}}]


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*prefix, key)
            yield from paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield (*prefix, index)
            yield from paths(item, (*prefix, index))


def variants(good: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The good payload with each field (at any depth) replaced by each wrong value, or removed."""
    for path in paths(good):
        for wrong in [*WRONG, KeyError]:
            out = copy.deepcopy(good)
            target = out
            for step in path[:-1]:
                target = target[step]
            if wrong is KeyError:
                if isinstance(target, dict):
                    del target[path[-1]]
            else:
                target[path[-1]] = wrong
            yield out


@pytest.mark.parametrize("name", ADAPTERS)
def test_adapter_has_the_shared_shape_and_is_the_registered_one(name: str) -> None:
    adapter = ADAPTERS[name]
    assert pipeline_hooks.adapter_for(adapter.CHANNEL) is adapter
    assert adapter.ADDRESS_KIND
    assert callable(adapter.parse) and callable(adapter.deliver)
    [item] = adapter.parse(hooks.GOOD[name]())
    assert isinstance(item, InboundMessage)
    assert (item.channel, item.sender.kind) == (adapter.CHANNEL, adapter.ADDRESS_KIND)


@pytest.mark.parametrize("name", ADAPTERS)
def test_parse_raises_only_bad_payload_whatever_the_fields_hold(name: str) -> None:
    tried = 0
    for raw in variants(hooks.GOOD[name]()):
        tried += 1
        try:
            items = ADAPTERS[name].parse(raw)
        except BadPayload:
            continue
        assert all(isinstance(item, InboundMessage) and isinstance(item.text, str)
                   and isinstance(item.sender.display_name, str) for item in items), raw
    assert tried > 100


def test_telegram_updates_without_a_customer_message_are_no_items() -> None:
    assert telegram.parse({"update_id": 1, "edited_message": {"text": "x"}}) == []
    assert telegram.parse(hooks.telegram_update(text="")) == []


def test_facebook_echoes_of_our_own_sends_are_skipped() -> None:
    event = hooks.facebook_event()
    event["entry"][0]["messaging"][0]["message"]["is_echo"] = True
    assert facebook.parse(event) == []


def test_x_direct_messages_we_sent_are_skipped() -> None:
    event = hooks.x_event()
    event["for_user_id"] = "77"
    assert x.parse(event) == []


def test_x_crc_is_refused_for_anything_but_a_token() -> None:
    assert x.crc_token_allowed("NDMyNjY3MDg5NzQxOTIwMjM0NTY=")
    for token in ("{}", '{"a": 1}', "a b", "", "x" * 257, "签名", "\ud800"):
        assert not x.crc_token_allowed(token)
        with pytest.raises(ValueError):
            x.crc_response(token)
