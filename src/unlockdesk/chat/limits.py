"""Flood and overload control for the chat sockets.

A token bucket per connection lets short bursts pass and stops floods; a gate per server
process caps how many stores wait for the database at once, so under overload accepted
messages stay fast and the excess is told to come back ("busy, retry after N s") instead of
queueing for ever. Both run on the event loop's one thread: no locks.
"""

import math
import random
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class Busy(Exception):
    """Not accepted now; nothing was stored. The client resends after `retry_after` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"busy, retry after {retry_after} s")
        self.retry_after = retry_after


class TokenBucket:
    def __init__(self, rate: float, burst: int) -> None:
        self.rate = rate
        self.capacity = float(burst)
        self.tokens = float(burst)
        self.stamp = time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False

    def wait_seconds(self) -> int:
        """Whole seconds until the next token (at least 1)."""
        missing = max(0.0, 1 - self.tokens)
        return max(1, math.ceil(missing / self.rate)) if self.rate > 0 else 60


class Backoff:
    """How long one connection's refused stores wait: doubling with each refusal since its last
    accepted store (up to CAP seconds), spread at random. With a fixed wait, every message
    refused in an overload came back in the same second and was refused again: a crowd of
    resends that took the server's time from the stores (bench/chat.py at twice the capacity:
    411,451 busy frames for 12,500 messages)."""

    CAP = 30

    def __init__(self) -> None:
        self.refusals = 0

    def next(self, base: int) -> int:
        """Seconds to tell the client for this refusal (at least `base`)."""
        self.refusals += 1
        ceiling = min(self.CAP, base * 2 ** min(self.refusals - 1, 8))
        return random.randint(max(base, ceiling // 2), max(base, ceiling))

    def accepted(self) -> None:
        self.refusals = 0


class Gate:
    """Admission for stores in this process: at most `limit` accepted and not yet done, and none
    that would wait longer than `max_wait` seconds at the rate this process stores. The excess
    is told to come back in `retry_after` seconds.

    The rate is stores finished per second of *busy* time (while any store was waiting) over the
    last WINDOW seconds: what the process can do, not what it was offered. Counted per wall
    second, a quiet minute made the estimate low, and the first seconds of a rush were refused
    at a fraction of the capacity."""

    WINDOW = 5.0  # seconds of finished stores that make the rate
    SLOT = 0.1  # seconds per bucket of that window
    SAMPLES = 10  # fewer finished stores than this in the window: no estimate, admit

    def __init__(self, limit: int, retry_after: int = 1, max_wait: float = 0.5,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.retry_after = retry_after
        self.max_wait = max_wait
        self.pending = 0
        self.clock = clock
        self.mark = clock()  # busy time is counted up to here
        # [slot number, stores finished, busy seconds] per SLOT of the window, oldest first.
        self.slots: deque[list[float]] = deque()

    def _advance(self, now: float) -> list[float]:
        """Count the busy time up to `now`, drop slots older than the window; the current slot."""
        slot = math.floor(now / self.SLOT)
        if not self.slots or self.slots[-1][0] != slot:
            self.slots.append([slot, 0, 0.0])
        current = self.slots[-1]
        if self.pending:
            current[2] += now - self.mark
        self.mark = now
        oldest = slot - round(self.WINDOW / self.SLOT)
        while self.slots[0][0] < oldest:
            self.slots.popleft()
        return current

    def rate(self) -> float | None:
        """Stores finished per busy second lately, or None when too few to tell."""
        self._advance(self.clock())
        finished = sum(finished for _slot, finished, _busy in self.slots)
        busy = sum(busy for _slot, _finished, busy in self.slots)
        if finished < self.SAMPLES or busy <= 0:
            return None
        return finished / busy

    def enter(self) -> None:
        rate = self.rate()
        too_slow = rate is not None and self.pending and (self.pending + 1) / rate > self.max_wait
        if self.pending >= self.limit or too_slow:
            raise Busy(self.retry_after)
        self.pending += 1

    def leave(self) -> None:
        current = self._advance(self.clock())
        self.pending = max(0, self.pending - 1)
        current[1] += 1

    @contextmanager
    def slot(self) -> Iterator[None]:
        self.enter()
        try:
            yield
        finally:
            self.leave()
