"""The embedded default's channel layer: Channels' in-memory layer with a cheaper sweep.

Channels sweeps every channel and every group for expired entries on each receive, so with a
few hundred chat sockets the sweep took over a third of the server's time (measured with
py-spy under bench/chat.py). Messages expire after a minute and group memberships after a
day: sweeping once a second keeps those limits and costs nothing measurable.
"""

import time

from channels.layers import InMemoryChannelLayer

SWEEP_SECONDS = 1.0


class SweepingInMemoryChannelLayer(InMemoryChannelLayer):
    _last_sweep = 0.0

    def _clean_expired(self) -> None:
        now = time.monotonic()
        if now - self._last_sweep < SWEEP_SECONDS:
            return
        self._last_sweep = now
        super()._clean_expired()
