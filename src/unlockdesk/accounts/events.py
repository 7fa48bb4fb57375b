"""The exchange's event schema: one JSON object per event, checked before anything is stored.

Three types (`account`, `lock`, `transaction`), each with an event `id` (stored once), the
account's `uid` and a per-object `version` (a positive integer; an older version never
overwrites a newer one). `parse_event` turns a decoded JSON value into a typed event or raises
`EventRefused` with a reason code and the field at fault. The refusal never carries the
field's value, so KYC data cannot reach a log or a summary through it.
"""

import re
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from django.core.exceptions import ValidationError

from unlockdesk.accounts.identifiers import normalize_email, normalize_phone
from unlockdesk.accounts.types import LockReason, Restriction, TransactionKind

UID_PATTERN = re.compile(r"[0-9]{4,20}")
EVENT_ID_MAX = 100
LANGUAGES = {"zh-hans": "zh-hans", "zh-cn": "zh-hans", "zh": "zh-hans", "en": "en",
             "en-us": "en", "en-gb": "en"}
ACCOUNT_TEXT_FIELDS = {"kyc_name": 100, "id_number": 40, "anti_phishing_code": 20}


class Refusal(StrEnum):
    """Why an event was refused; the codes are part of the documented feed contract."""

    NOT_AN_OBJECT = "not_an_object"
    BAD_JSON = "bad_json"
    MISSING_ID = "missing_id"
    UNKNOWN_TYPE = "unknown_type"
    BAD_UID = "bad_uid"
    BAD_VERSION = "bad_version"
    BAD_DATE = "bad_date"
    UNKNOWN_REASON = "unknown_reason"
    UNKNOWN_RESTRICTION = "unknown_restriction"
    UNKNOWN_KIND = "unknown_kind"
    BAD_AMOUNT = "bad_amount"
    BAD_EMAIL = "bad_email"
    BAD_PHONE = "bad_phone"
    BAD_FIELD = "bad_field"


class EventRefused(Exception):
    """An event that breaks the schema; nothing of it is stored."""

    def __init__(self, code: Refusal, field: str = "") -> None:
        super().__init__(f"{code}: {field}" if field else str(code))
        self.code = code
        self.field = field

    def as_dict(self) -> dict[str, str]:
        return {"reason": str(self.code), "field": self.field}


@dataclass(frozen=True)
class AccountEvent:
    event_id: str
    uid: str
    version: int
    changes: dict[str, str]  # only the fields the event carries, normalised


@dataclass(frozen=True)
class LockEvent:
    event_id: str
    uid: str
    version: int
    lock_id: str
    reason: LockReason
    restrictions: list[Restriction]
    since: datetime
    auto_lift_at: datetime | None
    lifted_at: datetime | None
    note: str


@dataclass(frozen=True)
class TransactionEvent:
    event_id: str
    uid: str
    version: int
    tx_id: str
    tx_hash: str
    occurred_at: datetime
    kind: TransactionKind
    asset: str
    amount: Decimal
    counterparty: str


ExchangeEvent = AccountEvent | LockEvent | TransactionEvent


def parse_event(raw: Any) -> ExchangeEvent:
    """A typed event from one decoded JSON value, or EventRefused naming the reason."""
    if not isinstance(raw, dict):
        raise EventRefused(Refusal.NOT_AN_OBJECT)
    event_id = raw.get("id")
    if not isinstance(event_id, str) or not event_id.strip() or len(event_id) > EVENT_ID_MAX:
        raise EventRefused(Refusal.MISSING_ID, "id")
    kind = raw.get("type")
    parser = _PARSERS.get(kind) if isinstance(kind, str) else None
    if parser is None:
        raise EventRefused(Refusal.UNKNOWN_TYPE, "type")
    uid = raw.get("uid")
    if isinstance(uid, int) and not isinstance(uid, bool):
        uid = str(uid)
    if not isinstance(uid, str) or not UID_PATTERN.fullmatch(uid):
        raise EventRefused(Refusal.BAD_UID, "uid")
    version = raw.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or not 1 <= version < 2**62:
        raise EventRefused(Refusal.BAD_VERSION, "version")
    return parser(raw, event_id.strip(), uid, version)


def _text(raw: dict[str, Any], field: str, max_length: int, *, required: bool = False) -> str:
    value = raw.get(field)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or len(value) > max_length or (required and not value.strip()):
        raise EventRefused(Refusal.BAD_FIELD, field)
    return value.strip()


def _date(raw: dict[str, Any], field: str, *, required: bool = False) -> datetime | None:
    value = raw.get(field)
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise EventRefused(Refusal.BAD_DATE, field)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise EventRefused(Refusal.BAD_DATE, field) from exc
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise EventRefused(Refusal.BAD_DATE, field)  # a time without its offset is ambiguous
    return parsed


def _account(raw: dict[str, Any], event_id: str, uid: str, version: int) -> AccountEvent:
    changes: dict[str, str] = {}
    if "email" in raw:
        email = raw["email"]
        if email in (None, ""):
            changes["email"] = ""
        else:
            try:
                changes["email"] = normalize_email(email if isinstance(email, str) else "")
            except ValidationError as exc:
                raise EventRefused(Refusal.BAD_EMAIL, "email") from exc
    if "phone" in raw:
        phone = raw["phone"]
        if phone in (None, ""):
            changes["phone"] = ""
        elif not isinstance(phone, str) or not phone.startswith("+"):
            raise EventRefused(Refusal.BAD_PHONE, "phone")  # E.164: the country code is required
        else:
            try:
                changes["phone"] = normalize_phone(phone)
            except ValidationError as exc:
                raise EventRefused(Refusal.BAD_PHONE, "phone") from exc
    for field, max_length in ACCOUNT_TEXT_FIELDS.items():
        if field in raw:
            changes[field] = _text(raw, field, max_length)
    if "language" in raw:
        language = raw["language"]
        if not isinstance(language, str) or language.strip().lower() not in LANGUAGES:
            raise EventRefused(Refusal.BAD_FIELD, "language")
        changes["language"] = LANGUAGES[language.strip().lower()]
    if "time_zone" in raw:
        changes["time_zone"] = _time_zone(raw["time_zone"])
    if "balance_usd" in raw:
        changes["balance_usd"] = str(_decimal(raw, "balance_usd", Refusal.BAD_FIELD))
    return AccountEvent(event_id, uid, version, changes)


def _time_zone(value: Any) -> str:
    if not isinstance(value, str) or not value or len(value) > 40:
        raise EventRefused(Refusal.BAD_FIELD, "time_zone")
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise EventRefused(Refusal.BAD_FIELD, "time_zone") from exc
    return value


def _decimal(raw: dict[str, Any], field: str, code: Refusal) -> Decimal:
    value = raw.get(field)
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise EventRefused(code, field)
    try:
        number = Decimal(str(value))
    except InvalidOperation as exc:
        raise EventRefused(code, field) from exc
    if not number.is_finite() or abs(number) >= Decimal(10) ** 21:
        raise EventRefused(code, field)
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -8:
        raise EventRefused(code, field)  # the mirror keeps 8 decimal places; never round money
    return number


def _lock(raw: dict[str, Any], event_id: str, uid: str, version: int) -> LockEvent:
    lock_id = _text(raw, "lock_id", 80, required=True)
    reason = raw.get("reason")
    if not isinstance(reason, str) or reason not in LockReason.values:
        raise EventRefused(Refusal.UNKNOWN_REASON, "reason")
    restrictions = raw.get("restrictions")
    if not isinstance(restrictions, list) or not restrictions:
        raise EventRefused(Refusal.UNKNOWN_RESTRICTION, "restrictions")
    if any(not isinstance(r, str) or r not in Restriction.values for r in restrictions):
        raise EventRefused(Refusal.UNKNOWN_RESTRICTION, "restrictions")
    since = _date(raw, "since", required=True)
    assert since is not None
    return LockEvent(
        event_id, uid, version,
        lock_id=lock_id,
        reason=LockReason(reason),
        restrictions=[Restriction(r) for r in dict.fromkeys(restrictions)],
        since=since,
        auto_lift_at=_date(raw, "auto_lift_at"),
        lifted_at=_date(raw, "lifted_at"),
        note=_text(raw, "note", 2000),
    )


def _transaction(raw: dict[str, Any], event_id: str, uid: str, version: int) -> TransactionEvent:
    kind = raw.get("kind")
    if not isinstance(kind, str) or kind not in TransactionKind.values:
        raise EventRefused(Refusal.UNKNOWN_KIND, "kind")
    occurred_at = _date(raw, "occurred_at", required=True)
    assert occurred_at is not None
    return TransactionEvent(
        event_id, uid, version,
        tx_id=_text(raw, "tx_id", 80, required=True),
        tx_hash=_text(raw, "tx_hash", 130),
        occurred_at=occurred_at,
        kind=TransactionKind(kind),
        asset=_text(raw, "asset", 16, required=True).upper(),
        amount=_decimal(raw, "amount", Refusal.BAD_AMOUNT),
        counterparty=_text(raw, "counterparty", 130),
    )


_PARSERS: dict[str, Callable[[dict[str, Any], str, str, int], ExchangeEvent]] = {
    "account": _account, "lock": _lock, "transaction": _transaction,
}
