"""Board statistics of the case files (DESIGN.md, the board's role): counts and durations, no case content.

Kept apart from selectors because it is one domain job with its own output shapes (charts, CSV);
it only counts, so what it returns survives anonymisation (retention keeps statistics).
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Avg, Count, F
from django.db.models.functions import ExtractQuarter, ExtractYear
from django.utils import timezone

from .constants import Category, Platform
from .models import Case, Report
from .selectors import overdue_condition


@dataclass
class Bar:
    label: str
    count: int
    percent: int = 0  # of the largest bar in its chart, for the SVG width


@dataclass
class Chart:
    key: str
    title: str
    bars: list[Bar] = field(default_factory=list)

    def scale(self) -> Chart:
        top = max((bar.count for bar in self.bars), default=0)
        for bar in self.bars:
            bar.percent = round(100 * bar.count / top) if top else 0
        return self


@dataclass
class Duration:
    count: int
    mean_days: float | None
    median_days: float | None


@dataclass
class CaseStatistics:
    charts: list[Chart]
    to_acknowledge: Duration
    to_close: Duration
    overdue: int
    total: int


def _days(duration: datetime.timedelta | None) -> float | None:
    return None if duration is None else round(duration.total_seconds() / 86400, 1)


def _median(cases, *, until: str, count: int) -> datetime.timedelta | None:
    """The median time from a case's opening ``until`` a moment (the mean of the middle two for an
    even count, as statistics.median does): the durations ordered by the database and only the
    middle one or two read, with LIMIT/OFFSET. One query at any size, on PostgreSQL and SQLite alike."""
    if not count:
        return None
    durations = (
        cases.filter(**{f"{until}__isnull": False})
        .annotate(duration=F(until) - F("created_at"))
        .order_by("duration")
        .values_list("duration", flat=True)
    )
    middle = list(durations[(count - 1) // 2 : count // 2 + 1])
    return sum(middle, datetime.timedelta()) / len(middle)


def _durations(cases, now: datetime.datetime) -> tuple[dict, Duration, Duration]:
    """Totals and the mean times in one aggregate query, then each median in one more."""
    row = cases.aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=overdue_condition(now)),
        acknowledged=Count("acknowledged_at"),
        acknowledge_mean=Avg(F("acknowledged_at") - F("created_at")),
        closed=Count("closed_at"),
        close_mean=Avg(F("closed_at") - F("created_at")),
    )
    return (
        row,
        Duration(
            row["acknowledged"],
            _days(row["acknowledge_mean"]),
            _days(_median(cases, until="acknowledged_at", count=row["acknowledged"])),
        ),
        Duration(
            row["closed"],
            _days(row["close_mean"]),
            _days(_median(cases, until="closed_at", count=row["closed"])),
        ),
    )


def _bars(counts: Counter, labels: dict) -> list[Bar]:
    """Largest first, then by key, with the protocol's label for each key."""
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [Bar(str(labels.get(key, key)), n) for key, n in ordered]


def case_statistics(*, now: datetime.datetime | None = None) -> CaseStatistics:
    """Counts by school, category, platform and quarter; time to acknowledge and to close; overdue.

    For the board only (the view checks). Six queries, whatever the number of cases, on PostgreSQL
    and SQLite alike: each chart is counted by the database, and so are the means and medians.
    """
    from django.utils.translation import gettext as _

    now = now or timezone.now()
    cases = Case.objects.filter(merged_into__isnull=True)
    by_school = Chart(
        "school",
        _("Dossiers per school"),
        [
            Bar(row["school__name"], row["n"])
            for row in cases.values("school__name").annotate(n=Count("pk")).order_by("school__name")
        ],
    )
    # Category and platform from one GROUP BY over the reports: a few dozen rows to add up here.
    categories: Counter = Counter()
    platforms: Counter = Counter()
    pairs = Report.objects.filter(case__merged_into__isnull=True).values("category", "platform")
    for row in pairs.annotate(n=Count("pk")).order_by():
        categories[row["category"]] += row["n"]
        platforms[row["platform"]] += row["n"]
    by_category = Chart("category", _("Meldingen per categorie"), _bars(categories, dict(Category.choices)))
    by_platform = Chart("platform", _("Meldingen per platform"), _bars(platforms, dict(Platform.choices)))
    quarters = (
        cases.annotate(year=ExtractYear("created_at"), quarter=ExtractQuarter("created_at"))
        .values("year", "quarter")
        .annotate(n=Count("pk"))
        .order_by("year", "quarter")
    )
    by_quarter = Chart(
        "quarter", _("Dossiers per kwartaal"), [Bar(f"{row['year']} K{row['quarter']}", row["n"]) for row in quarters]
    )
    totals, to_acknowledge, to_close = _durations(cases, now)
    return CaseStatistics(
        charts=[chart.scale() for chart in (by_school, by_category, by_platform, by_quarter)],
        to_acknowledge=to_acknowledge,
        to_close=to_close,
        overdue=totals["overdue"],
        total=totals["total"],
    )


def case_statistics_rows(result: CaseStatistics) -> list[list[str]]:
    """The same numbers as CSV rows: dimension, label, value."""
    rows = [["dimension", "label", "value"]]
    for chart in result.charts:
        rows += [[chart.key, bar.label, str(bar.count)] for bar in chart.bars]
    for key, duration in (("days_to_acknowledge", result.to_acknowledge), ("days_to_close", result.to_close)):
        rows.append([key, "cases", str(duration.count)])
        rows.append([key, "mean", "" if duration.mean_days is None else str(duration.mean_days)])
        rows.append([key, "median", "" if duration.median_days is None else str(duration.median_days)])
    rows.append(["overdue", "cases", str(result.overdue)])
    rows.append(["total", "cases", str(result.total)])
    return rows
