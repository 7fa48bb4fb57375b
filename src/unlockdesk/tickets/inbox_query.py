"""Inbox filters from a query string: one parser for the inbox page, saved views and bulk jobs,
so a saved view or a bulk job selects exactly what the inbox showed."""

from collections.abc import Mapping
from datetime import date
from urllib.parse import parse_qsl, urlencode

from unlockdesk.tickets.selectors import InboxFilters

KEYS = ("status", "channel", "priority", "queue", "mine", "q", "from", "to", "tag", "when")


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def filters_from(params: Mapping[str, str]) -> InboxFilters:
    """Unknown keys are ignored and bad values read as no filter: a hand-edited link never fails."""
    return InboxFilters(
        status=params.get("status", "")[:20],
        channel=params.get("channel", "")[:16],
        priority=params.get("priority", "")[:2],
        queue=params.get("queue", "")[:50],
        mine=params.get("mine") == "1",
        q=params.get("q", "")[:100],
        created_from=_date(params.get("from")),
        created_to=_date(params.get("to")),
        tag=params.get("tag", "")[:40],
        when=params.get("when", "")[:40],
    )


def filters_from_query(query: str) -> InboxFilters:
    return filters_from(dict(parse_qsl(query)))


def canonical_query(params: Mapping[str, str]) -> str:
    """Only the filter keys with a value, in a fixed order (what a saved view stores)."""
    return urlencode([(key, params[key]) for key in KEYS if params.get(key)])
