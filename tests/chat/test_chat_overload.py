"""Overload: beyond the rate limit (per socket) or the gate (per server process) a message is
not stored and its sender gets a "busy, retry after N s" frame in their language; the resend
with the same client id is stored once."""

import asyncio
from typing import Any

import pytest

from tests.chat.conftest import Socket, agent_socket, cid, open_socket, visitor
from tests.factories import make_agent
from unlockdesk.chat.limits import Backoff, Busy, Gate, TokenBucket
from unlockdesk.tickets.models import Message

pytestmark = pytest.mark.django_db(transaction=True)


def _busy(frames: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [f for f in frames if f["type"] == "error" and f.get("retry_after")]


async def _answers(socket: Socket, client_ids: set[str]) -> list[dict[str, Any]]:
    """Frames until every one of `client_ids` has had its answer: an ack or a busy frame."""
    frames, waiting = [], set(client_ids)
    while waiting:
        frame = await socket.next(timeout=30)
        frames.append(frame)
        if frame["type"] == "ack" or (frame["type"] == "error" and frame.get("retry_after")):
            waiting.discard(frame.get("client_id", ""))
    return frames


async def _chinese_visitor() -> Socket:
    connected, socket = await open_socket("/ws/chat/visitor/")
    assert connected
    await socket.send(type="hello", language="zh-hans")
    await socket.wait_for("welcome")
    return socket


async def test_chat_burst_beyond_the_rate_limit_gets_busy_frames_and_resends_land_once(
    layer: str, settings: Any,
) -> None:
    settings.UNLOCKDESK_CHAT_RATE_PER_SECOND = 2
    settings.UNLOCKDESK_CHAT_BURST = 4
    settings.UNLOCKDESK_CHAT_MAX_WAIT_SECONDS = 60  # this test is about the per-socket limit
    customer = await _chinese_visitor()  # hello takes one token
    await customer.send(type="talk", text="my account is locked", client_id=cid())
    await customer.wait_for("ack", timeout=30)  # the first Chinese help search loads its dictionary
    sent = {cid(): f"burst {n}" for n in range(10)}
    for client_id, text in sent.items():
        await customer.send(type="message", text=text, client_id=client_id)
    frames = await _answers(customer, set(sent))
    busy = _busy(frames)
    acked = {f["client_id"] for f in frames if f["type"] == "ack"}
    assert busy and acked and {f["client_id"] for f in busy} == set(sent) - acked
    first = busy[0]
    assert first["code"] == "rate_limited" and first["retry_after"] >= 1
    assert "繁忙" in first["message"] and f"{first['retry_after']} 秒" in first["message"]
    assert "rate_limited" not in first["message"]
    assert Message.objects.filter(body_text__startswith="burst").count() == len(acked)

    # The client resends every unacknowledged message, plus one already stored (a lost ack),
    # each after the time it was told, with the same client id: nothing lost, nothing twice.
    waiting = [f["client_id"] for f in busy]
    resend = [*waiting, next(iter(acked))]
    while resend:
        await asyncio.sleep(max(f["retry_after"] for f in busy))
        for client_id in resend:
            await customer.send(type="message", text=sent[client_id], client_id=client_id)
        frames = await _answers(customer, set(resend))
        busy = _busy(frames)
        resend = [f["client_id"] for f in busy]
    stored = list(Message.objects.filter(body_text__startswith="burst").values_list("body_text", flat=True))
    assert sorted(stored) == sorted(sent.values())
    await customer.close()


async def test_chat_full_server_says_busy_stores_nothing_and_takes_the_resend_once(
    layer: str, settings: Any,
) -> None:
    agent = make_agent()
    customer, welcome = await visitor()
    await customer.send(type="talk", text="my account is locked", client_id=cid())
    await customer.wait_for("ack")
    desk, _ = await agent_socket(agent)
    settings.UNLOCKDESK_CHAT_MAX_PENDING = 0  # as if the process had a full queue
    question, answer = cid(), cid()
    await customer.send(type="message", text="are you there?", client_id=question)
    refused = await customer.wait_for("error", client_id=question)
    assert refused["code"] == "busy" and refused["retry_after"] == 1
    assert "Busy right now" in refused["message"] and "1 second" in refused["message"]
    await desk.send(type="reply", conversation=welcome["conversation"], text="Yes, checking.",
                    client_id=answer)
    assert (await desk.wait_for("error", client_id=answer))["code"] == "busy"
    assert not Message.objects.filter(body_text__in=["are you there?", "Yes, checking."]).exists()

    settings.UNLOCKDESK_CHAT_MAX_PENDING = 100
    for _ in range(2):  # resent (twice: a lost ack) with the same client ids
        await customer.send(type="message", text="are you there?", client_id=question)
        await customer.wait_for("ack", client_id=question)
        await desk.send(type="reply", conversation=welcome["conversation"], text="Yes, checking.",
                        client_id=answer)
        await desk.wait_for("ack", client_id=answer)
    assert Message.objects.filter(body_text="are you there?").count() == 1
    assert Message.objects.filter(body_text="Yes, checking.").count() == 1
    await customer.close()
    await desk.close()


def test_chat_gate_lets_limit_stores_in_and_tells_the_rest_when_to_come_back() -> None:
    gate = Gate(2, retry_after=3)
    with gate.slot(), gate.slot():
        with pytest.raises(Busy) as refused, gate.slot():
            pass
        assert refused.value.retry_after == 3
    with gate.slot():  # the slots were given back
        assert gate.pending == 1


def test_chat_bucket_says_how_long_until_the_next_message() -> None:
    bucket = TokenBucket(0.5, 1)
    assert bucket.take() and not bucket.take()
    assert bucket.wait_seconds() == 2


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _stores(gate: Gate, clock: _Clock, count: int, seconds_each: float) -> None:
    """`count` stores, one after another, each taking `seconds_each`."""
    for _ in range(count):
        gate.enter()
        clock.now += seconds_each
        gate.leave()


def test_chat_gate_refuses_what_would_wait_longer_than_allowed() -> None:
    """Stores that take 0.05 s each: 20 a second. A 0.5 s budget admits 10 waiting, not 11."""
    clock = _Clock()
    gate = Gate(1000, max_wait=0.5, clock=clock)
    _stores(gate, clock, 20, 0.05)  # 20 stores in the last second
    assert gate.rate() == pytest.approx(20)
    for _ in range(10):
        gate.enter()
    with pytest.raises(Busy):
        gate.enter()
    gate.leave()
    gate.enter()  # one finished: one more fits


def test_chat_gate_rate_is_what_the_process_can_store_not_what_it_was_sent() -> None:
    """A quiet spell (one store every 2 s, 0.01 s each) is not a slow server: the first
    seconds of a rush are admitted at the capacity those stores showed (100 a second)."""
    clock = _Clock()
    gate = Gate(1000, max_wait=0.5, clock=clock)
    for _ in range(12):
        clock.now += 0.2
        gate.enter()
        clock.now += 0.01
        gate.leave()
    assert gate.rate() == pytest.approx(100)
    for _ in range(50):  # half a second's worth at that rate
        gate.enter()
    with pytest.raises(Busy):
        gate.enter()


def test_chat_gate_forgets_what_finished_before_its_window() -> None:
    clock = _Clock()
    gate = Gate(1000, max_wait=0.5, clock=clock)
    _stores(gate, clock, 20, 0.1)
    assert gate.rate() == pytest.approx(10)
    clock.now += Gate.WINDOW + 0.2
    assert gate.rate() is None  # nothing lately: no estimate, so no refusal on the rate
    for _ in range(100):
        gate.enter()


def test_chat_gate_rate_is_not_capped_by_how_much_it_remembers() -> None:
    """A thousand stores a second for three seconds reads as a thousand a second (a buffer of
    the last 1,000 stores once capped the estimate at 200 a second)."""
    clock = _Clock()
    gate = Gate(10_000, max_wait=0.5, clock=clock)
    _stores(gate, clock, 3000, 0.001)
    assert gate.rate() == pytest.approx(1000, rel=0.01)


def test_chat_refused_again_and_again_a_socket_is_told_to_wait_longer_each_time() -> None:
    """Doubling per refusal since the last accepted store, spread at random, capped, and back
    to the gate's wait once a store is accepted: a crowd told "busy" does not return at once."""
    backoff = Backoff()
    waits = [backoff.next(1) for _ in range(8)]
    assert waits[0] == 1
    for n, wait in enumerate(waits):
        ceiling = min(Backoff.CAP, 2 ** n)
        assert max(1, ceiling // 2) <= wait <= ceiling
    spread = set()
    for _ in range(50):
        crowd = Backoff()
        spread.add([crowd.next(1) for _ in range(6)][-1])
    assert len(spread) > 1  # the sixth refusal waits 15 to 30 s, not the same for everyone
    backoff.accepted()
    assert backoff.next(1) == 1
