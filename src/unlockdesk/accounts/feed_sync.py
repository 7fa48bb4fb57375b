"""Reconciliation: pull the core's event log through the HTTP gateway when it cannot push.

Pages are applied with `feed.apply_events`, exactly like pushed events, so running a sync
after pushes (or twice) changes nothing that is already there.
"""

from dataclasses import dataclass
from datetime import datetime

from unlockdesk.accounts import feed
from unlockdesk.accounts.http_gateway import HttpGateway

MAX_PAGES = 100_000  # a core that keeps answering with a cursor must not loop us forever


@dataclass
class SyncReport:
    pages: int = 0
    stored: int = 0
    unchanged: int = 0
    refused: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"pages": self.pages, "stored": self.stored, "unchanged": self.unchanged,
                "refused": self.refused}


def sync_accounts(*, since: datetime | None = None) -> SyncReport:
    """Pull every page of changes since `since` (all, when None); raises GatewayError when the
    core refuses or is unreachable (pages applied before that stay applied)."""
    core = HttpGateway()
    report = SyncReport()
    cursor: str | None = None
    while report.pages < MAX_PAGES:
        events, cursor = core.changes(since=since, cursor=cursor)
        report.pages += 1
        counts = feed.summary(feed.apply_events(events))
        report.stored += counts["stored"]
        report.unchanged += counts["unchanged"]
        report.refused += counts["refused"]
        if cursor is None:
            break
    return report
