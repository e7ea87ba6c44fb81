"""Board statistics of the case files (issue 6, item 8): counts and durations, no case content.

Kept apart from selectors because it is one domain job with its own output shapes (charts, CSV);
it only counts, so what it returns survives anonymisation (retention keeps statistics).
"""

from __future__ import annotations

import datetime
import statistics as stats
from dataclasses import dataclass, field

from django.db.models import Count, Q
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


def _duration(pairs) -> Duration:
    days = [(end - start).total_seconds() / 86400 for start, end in pairs if start and end]
    if not days:
        return Duration(0, None, None)
    return Duration(len(days), round(stats.fmean(days), 1), round(stats.median(days), 1))


def case_statistics(*, now: datetime.datetime | None = None) -> CaseStatistics:
    """Counts by school, category, platform and quarter; time to acknowledge and to close; overdue.

    For the board only (the view checks). A few aggregate queries; durations read two columns.
    """
    from django.utils.translation import gettext as _

    now = now or timezone.now()
    cases = Case.objects.filter(merged_into__isnull=True)
    reports = Report.objects.filter(case__merged_into__isnull=True)
    by_school = Chart(
        "school",
        _("Dossiers per school"),
        [
            Bar(row["school__name"], row["n"])
            for row in cases.values("school__name").annotate(n=Count("pk")).order_by("school__name")
        ],
    )
    category_labels = dict(Category.choices)
    by_category = Chart(
        "category",
        _("Meldingen per categorie"),
        [
            Bar(str(category_labels.get(row["category"], row["category"])), row["n"])
            for row in reports.values("category").annotate(n=Count("pk")).order_by("-n", "category")
        ],
    )
    platform_labels = dict(Platform.choices)
    by_platform = Chart(
        "platform",
        _("Meldingen per platform"),
        [
            Bar(str(platform_labels.get(row["platform"], row["platform"])), row["n"])
            for row in reports.values("platform").annotate(n=Count("pk")).order_by("-n", "platform")
        ],
    )
    quarters = (
        cases.annotate(year=ExtractYear("created_at"), quarter=ExtractQuarter("created_at"))
        .values("year", "quarter")
        .annotate(n=Count("pk"))
        .order_by("year", "quarter")
    )
    by_quarter = Chart(
        "quarter", _("Dossiers per kwartaal"), [Bar(f"{row['year']} K{row['quarter']}", row["n"]) for row in quarters]
    )
    totals = cases.aggregate(total=Count("pk"), overdue=Count("pk", filter=overdue_condition(now)))
    return CaseStatistics(
        charts=[chart.scale() for chart in (by_school, by_category, by_platform, by_quarter)],
        to_acknowledge=_duration(
            cases.filter(acknowledged_at__isnull=False).values_list("created_at", "acknowledged_at")
        ),
        to_close=_duration(cases.filter(~Q(closed_at=None)).values_list("created_at", "closed_at")),
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
