"""An honest estimate of the wait: measured from recent decisions, never a constant.

Typical = median of (decided - submitted) over the most recent decisions within the window;
upper = the 80th percentile. With too few decisions the estimate says so instead of guessing.
"""

from dataclasses import dataclass
from datetime import timedelta
from statistics import median

from django.utils import timezone

from unlockdesk.unlock.models import UnlockApplication

WINDOW = timedelta(days=30)
SAMPLE = 50
MINIMUM_SAMPLE = 3


@dataclass(frozen=True)
class WaitEstimate:
    typical: timedelta | None
    upper: timedelta | None
    sample: int
    ahead: int

    @property
    def known(self) -> bool:
        return self.typical is not None


def wait_estimate() -> WaitEstimate:
    """From the last SAMPLE decisions within WINDOW; `ahead` = applications waiting for review."""
    since = timezone.now() - WINDOW
    rows = list(
        UnlockApplication.objects.filter(decided_at__gte=since, submitted_at__isnull=False)
        .order_by("-decided_at")
        .values_list("submitted_at", "decided_at")[:SAMPLE]
    )
    durations = sorted(decided - submitted for submitted, decided in rows
                       if submitted is not None and decided is not None and decided >= submitted)
    ahead = UnlockApplication.objects.filter(
        status__in=["submitted", "checking", "in_review"]
    ).count()
    if len(durations) < MINIMUM_SAMPLE:
        return WaitEstimate(None, None, len(durations), ahead)
    seconds = [d.total_seconds() for d in durations]
    upper_index = min(len(seconds) - 1, round(0.8 * (len(seconds) - 1)))
    return WaitEstimate(timedelta(seconds=median(seconds)), timedelta(seconds=seconds[upper_index]),
                        len(durations), ahead)


def humanize(duration: timedelta) -> tuple[int, str]:
    """(number, unit) rounded up to whole minutes, hours or days, for the notice texts."""
    minutes = max(1, int(-(-duration.total_seconds() // 60)))
    if minutes < 90:
        return minutes, "minutes"
    hours = -(-minutes // 60)
    if hours < 48:
        return hours, "hours"
    return -(-hours // 24), "days"
