"""Transactions the applicant names: they exist on this account, with the amount and time given.

Asked through `accounts.gateway.gateway()`, so a deployment against the real exchange core
checks the core's records, not the mirror.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _

from unlockdesk.accounts.gateway import gateway
from unlockdesk.verification.checks.results import result
from unlockdesk.verification.registry import register
from unlockdesk.verification.types import CheckContext, Result, Status

CHECK = "transactions"
TIME_TOLERANCE = timedelta(hours=24)  # people remember the day, not the minute
DAY_TOLERANCE = timedelta(days=1)  # a bare day may be written in the applicant's own time zone
AMOUNT_TOLERANCE = Decimal("0.005")  # 0.5 %: fees and rounding


def _when(value: str) -> datetime | date | None:
    """A bare day stays a day: comparing its midnight with the recorded minute would call a
    transaction late in the evening a day off."""
    value = value.strip().replace("/", "-")
    if not value:
        return None
    day = parse_date(value) if "T" not in value and " " not in value else None
    if day is not None:
        return day
    parsed = parse_datetime(value)
    if parsed is None:
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            return None
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


def _amount(value: str) -> Decimal | None:
    try:
        return abs(Decimal(value.replace(",", "").strip())) if value.strip() else None
    except InvalidOperation:
        return None


def judge_row(row: dict[str, Any], found: Any) -> Result:
    tx_id = str(row.get("tx_id", "")).strip()
    shown = tx_id if len(tx_id) <= 16 else f"{tx_id[:8]}…{tx_id[-6:]}"
    if found is None:
        return result(CHECK, Status.FAIL, "not_found",
                      _("We could not find transaction %(tx)s on your account. Please check the ID."),
                      detail=f"{shown} not on this account", tx=shown)
    problems = []
    amount = _amount(str(row.get("amount", "")))
    if (amount is not None and abs(found.amount) > 0
            and abs(amount - abs(found.amount)) / abs(found.amount) > AMOUNT_TOLERANCE):
        problems.append(f"amount {amount} vs recorded {found.amount} {found.asset}")
    asset = str(row.get("asset", "")).strip().upper()
    if asset and asset != str(found.asset).upper():
        problems.append(f"currency {asset} vs recorded {found.asset}")
    when = _when(str(row.get("occurred", "")))
    recorded = timezone.localtime(found.occurred_at)
    if isinstance(when, datetime) and abs(when - found.occurred_at) > TIME_TOLERANCE:
        problems.append(f"time {when:%Y-%m-%d %H:%M} vs recorded {recorded:%Y-%m-%d %H:%M}")
    elif when is not None and not isinstance(when, datetime) and abs(when - recorded.date()) > DAY_TOLERANCE:
        problems.append(f"day {when:%Y-%m-%d} vs recorded {recorded:%Y-%m-%d}")
    if problems:
        return result(CHECK, Status.WARN, "details_differ",
                      _("Transaction %(tx)s exists, but its amount or time differs from what you wrote."),
                      detail=f"{shown}: " + "; ".join(problems), tx=shown)
    return result(CHECK, Status.PASS, "match", _("Transaction %(tx)s matches your account's records."),
                  detail=f"{shown}: {found.kind} {found.amount} {found.asset}", tx=shown)


@register(CHECK)
def transactions(context: CheckContext) -> list[Result]:
    rows = [r for r in context.application.transactions or [] if str(r.get("tx_id", "")).strip()]
    if not rows:
        return [result(CHECK, Status.NOT_AVAILABLE, "none_given", _("No transaction IDs were given."),
                       detail="the applicant typed no transaction IDs")]
    if context.account is None:
        return [result(CHECK, Status.NOT_AVAILABLE, "no_account",
                       _("We could not find the account you named."),
                       detail="no account to look the transactions up on")]
    ids = [str(r["tx_id"]).strip() for r in rows]
    records = gateway().transactions(context.account, ids)
    by_id = {t.tx_id: t for t in records}
    by_hash = {t.tx_hash: t for t in records if t.tx_hash}
    return [judge_row(r, by_id.get(str(r["tx_id"]).strip()) or by_hash.get(str(r["tx_id"]).strip()))
            for r in rows]
