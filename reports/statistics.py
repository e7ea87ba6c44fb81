"""Board statistics of the case files (issue 6, item 8): counts and durations, no case content.

Kept apart from selectors because it is one domain job with its own output shapes (charts, CSV);
it only counts, so what it returns survives anonymisation (retention keeps statistics).
"""

from __future__ import annotations

import datetime
import statistics as stats
from collections import Counter
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Aggregate, Avg, Count, FloatField, Func
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


class _Days(Func):
    """Days between two timestamps, as a float: PostgreSQL's EXTRACT(EPOCH FROM interval) / 86400."""

    template = "EXTRACT(EPOCH FROM (%(expressions)s)) / 86400.0"
    arg_joiner = " - "
    output_field = FloatField()


class _Median(Aggregate):
    """PostgreSQL's percentile_cont(0.5): the median, interpolated as statistics.median does."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _durations_in_database(cases, now: datetime.datetime) -> tuple[dict, Duration, Duration]:
    """Totals and both durations in one PostgreSQL query (means and medians computed there)."""
    acknowledge = _Days("acknowledged_at", "created_at")
    close = _Days("closed_at", "created_at")
    row = cases.aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=overdue_condition(now)),
        acknowledged=Count("acknowledged_at"),
        acknowledge_mean=Avg(acknowledge),
        acknowledge_median=_Median(acknowledge),
        closed=Count("closed_at"),
        close_mean=Avg(close),
        close_median=_Median(close),
    )
    return (
        row,
        Duration(row["acknowledged"], _rounded(row["acknowledge_mean"]), _rounded(row["acknowledge_median"])),
        Duration(row["closed"], _rounded(row["close_mean"]), _rounded(row["close_median"])),
    )


def _durations_in_python(cases, now: datetime.datetime) -> tuple[dict, Duration, Duration]:
    """The same numbers on SQLite (development), which has no median: two columns read into Python."""

    def duration(pairs) -> Duration:
        days = [(end - start).total_seconds() / 86400 for start, end in pairs]
        if not days:
            return Duration(0, None, None)
        return Duration(len(days), round(stats.fmean(days), 1), round(stats.median(days), 1))

    row = cases.aggregate(total=Count("pk"), overdue=Count("pk", filter=overdue_condition(now)))
    return (
        row,
        duration(cases.filter(acknowledged_at__isnull=False).values_list("created_at", "acknowledged_at")),
        duration(cases.filter(closed_at__isnull=False).values_list("created_at", "closed_at")),
    )


def _bars(counts: Counter, labels: dict) -> list[Bar]:
    """Largest first, then by key, with the protocol's label for each key."""
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [Bar(str(labels.get(key, key)), n) for key, n in ordered]


def case_statistics(*, now: datetime.datetime | None = None) -> CaseStatistics:
    """Counts by school, category, platform and quarter; time to acknowledge and to close; overdue.

    For the board only (the view checks). Four aggregate queries on PostgreSQL, whatever the number
    of cases: each chart is computed by the database, and so are the means and medians.
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
    in_database = connection.vendor == "postgresql"
    totals, to_acknowledge, to_close = (_durations_in_database if in_database else _durations_in_python)(cases, now)
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
