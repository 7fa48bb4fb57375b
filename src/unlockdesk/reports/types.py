"""What a floor report is, for the page (a chart), the CSV export (a table) and tests."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

MAX_DAYS = 366


@dataclass(frozen=True)
class ReportFilters:
    """Tickets opened (or answered, decided) from `start` to `end`, both days included, in the
    desk's time zone; `queue_id` None means every queue."""

    start: date
    end: date
    queue_id: int | None = None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(settings.TIME_ZONE)

    @property
    def since(self) -> datetime:
        return datetime.combine(self.start, time.min, tzinfo=self.zone)

    @property
    def until(self) -> datetime:
        """Exclusive: the start of the day after `end`."""
        return datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=self.zone)

    def days(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]


@dataclass(frozen=True)
class Series:
    label: str
    values: list[float]


@dataclass(frozen=True)
class Report:
    """One chart and its table. `kind` is Chart.js's chart type; `stacked` stacks the series;
    `unit` says what the y axis counts ("tickets", "%", "rating")."""

    key: str
    title: str
    note: str
    kind: str
    labels: list[str]
    series: list[Series]
    columns: list[str]
    rows: list[list[object]]
    stacked: bool = False
    unit: str = "count"
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def total(self) -> float:
        return sum(sum(s.values) for s in self.series)

    def chart(self) -> dict[str, object]:
        """What the page's script hands to Chart.js."""
        return {"key": self.key, "kind": self.kind, "labels": self.labels,
                "stacked": self.stacked, "unit": self.unit,
                "series": [{"label": s.label, "values": s.values} for s in self.series]}
