"""What handing one event to a websocket consumer costs: unlockdesk.sockets.dispatch_in_turn
against Channels' await_many_dispatch, which it replaces for every consumer of the desk.

    .venv/bin/python bench/dispatch.py [--events 100000] [--rounds 3]

A consumer reads two sources, its socket and its channel-layer channel; here both are asyncio
queues and the events come on the channel's (as a chat message pushed to an agent's live list
does: each message is one event at every agent socket). Figures are CPU time per event, the
median of the rounds, the feeding included in both. Last line:
BENCH dispatch events=N channels_us=.. in_turn_us=.. saved_us=..
"""

import sys
from pathlib import Path

# Run as a script, bench/ is first on sys.path, where sibling benchmarks (bench/email.py)
# would shadow the standard library.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import asyncio  # noqa: E402
import contextlib  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from collections.abc import Awaitable, Callable, Sequence  # noqa: E402
from typing import Any  # noqa: E402

from channels.exceptions import StopConsumer  # noqa: E402
from channels.utils import await_many_dispatch  # noqa: E402

from unlockdesk.sockets import dispatch_in_turn  # noqa: E402

Event = dict[str, Any]
Source = Callable[[], Awaitable[Event]]
Loop = Callable[[Sequence[Source], Callable[[Event], Awaitable[None]]], Awaitable[None]]


async def per_event(loop: Loop, events: int) -> float:
    """CPU microseconds per event through `loop`."""
    socket: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    channel: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    handled = 0

    async def dispatch(event: dict[str, Any]) -> None:
        nonlocal handled
        handled += 1
        if handled == events:
            raise StopConsumer

    async def feed() -> None:
        for n in range(events):
            await channel.put({"type": "chat.activity", "seq": n})
            if n % 50 == 0:  # the layer's messages arrive in bursts, not all at once
                await asyncio.sleep(0)

    feeder = asyncio.ensure_future(feed())
    began = time.process_time()
    with contextlib.suppress(StopConsumer):
        await loop([socket.get, channel.get], dispatch)
    spent = time.process_time() - began
    await feeder
    return spent / events * 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    figures: dict[str, list[float]] = {"channels": [], "in_turn": []}
    for _ in range(args.rounds):
        for name, loop in (("channels", await_many_dispatch), ("in_turn", dispatch_in_turn)):
            figures[name].append(asyncio.run(per_event(loop, args.events)))
            print(f"{name:9s} {figures[name][-1]:6.2f} us CPU per event")
    channels, in_turn = (statistics.median(figures[name]) for name in ("channels", "in_turn"))
    print(f"BENCH dispatch events={args.events} channels_us={channels:.2f} in_turn_us={in_turn:.2f} "
          f"saved_us={channels - in_turn:.2f}")


if __name__ == "__main__":
    main()
