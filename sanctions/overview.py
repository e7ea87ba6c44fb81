"""The yearly incident overview of a school or of all schools (Inspectie standard VS1, the (G)MR,
the board's annual report): counts and durations over one school year, nothing that names anyone.

It lives in sanctions because it counts what both apps hold: the cases and reports of ``reports``
and the measures and escalations of sanctions. It reads kinds, states and dates only — no name, no
id, no number of a case, no typed text of a case — so it also survives anonymisation. Every count
under ``SMALL`` is suppressed (shown as "<5"), and where a table shows its total one more cell is
hidden with it (complementary suppression), so a hidden count cannot be recovered by subtracting
the shown cells from the total.
"""

from __future__ import annotations

import datetime
import statistics
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import School, User
from reports.constants import CaseState, Category, PartyRole
from reports.models import Case, Report

from .access import overview_cases_for, serious_incidents_enabled
from .constants import EscalationKind, MeasureKind, MeasureStatus, SeriousIncidentKind
from .models import Escalation, Measure, SafetyEvaluation, SeriousIncident

# The smallest count shown (CBS and the Inspectie's own practice: fewer than 5 can point to a person).
SMALL = 5
PRIMARY = "<5"
# A cell of 5 or more hidden so that a "<5" cannot be worked out from the total.
SECONDARY = "*"


def school_year_of(day: datetime.date) -> int:
    """The school year (1 August - 31 July) ``day`` falls in, as its starting year."""
    return day.year if day.month >= 8 else day.year - 1


def school_year_label(year: int) -> str:
    return f"{year}-{year + 1}"


def school_year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    """From 1 August of ``year`` up to (not including) 1 August of the next, in the portal's time zone."""
    zone = timezone.get_current_timezone()
    start = datetime.datetime(year, 8, 1, tzinfo=zone)
    return start, datetime.datetime(year + 1, 8, 1, tzinfo=zone)


@dataclass
class Cell:
    label: str
    count: int
    shown: str = ""


@dataclass
class Table:
    """One dimension: a label and a count per row, suppressed; ``has_total`` when the rows add up."""

    key: str
    title: str
    cells: list[Cell]
    has_total: bool = True
    note: str = ""
    total_shown: str = ""

    @property
    def total(self) -> int:
        return sum(cell.count for cell in self.cells)

    def suppress(self) -> Table:
        """Primary suppression of every count under SMALL; then, where the total is shown and a hidden
        cell is not zero, the smallest shown cell is hidden too (complementary suppression). With
        nothing left to hide, the total goes instead."""
        hidden = [cell for cell in self.cells if cell.count < SMALL]
        for cell in self.cells:
            cell.shown = PRIMARY if cell.count < SMALL else str(cell.count)
        if not self.has_total:
            return self
        self.total_shown = PRIMARY if self.total < SMALL else str(self.total)
        if self.total < SMALL or not any(cell.count for cell in hidden):
            return self
        shown = sorted((cell for cell in self.cells if cell.count >= SMALL), key=lambda cell: cell.count)
        if shown:
            shown[0].shown = SECONDARY
        else:
            self.total_shown = SECONDARY
        return self


@dataclass
class Duration:
    """Days from a case's opening to a moment, over the cases that reached it; None under SMALL."""

    title: str
    count: int
    median: float | None = None
    p75: float | None = None
    p90: float | None = None

    @property
    def count_shown(self) -> str:
        return PRIMARY if self.count < SMALL else str(self.count)

    @property
    def is_suppressed(self) -> bool:
        return self.count < SMALL


@dataclass
class YearlyOverview:
    year: int
    school: School | None
    tables: list[Table]
    durations: list[Duration]
    evaluations: list[SafetyEvaluation] = field(default_factory=list)

    @property
    def year_label(self) -> str:
        return school_year_label(self.year)

    @property
    def scope(self) -> str:
        return self.school.name if self.school else _("Alle scholen (bestuur)")


def _table(key: str, title: str, choices, counts: Counter, **options) -> Table:
    """A row for every choice, in the order of its class (a category added there shows up here)."""
    return Table(key, title, [Cell(str(label), counts.get(value, 0)) for value, label in choices], **options).suppress()


def _days(durations: list[datetime.timedelta]) -> list[float]:
    return sorted(d.total_seconds() / 86400 for d in durations)


def _duration(title: str, cases, until: str) -> Duration:
    """Median and the 75th and 90th percentile, in days with one decimal; one query."""
    days = _days(
        list(
            cases.filter(**{f"{until}__isnull": False})
            .annotate(duration=F(until) - F("created_at"))
            .values_list("duration", flat=True)
        )
    )
    result = Duration(title, len(days))
    if len(days) >= SMALL:
        deciles = statistics.quantiles(days, n=20, method="inclusive")
        result.median = round(statistics.median(days), 1)
        result.p75 = round(deciles[14], 1)
        result.p90 = round(deciles[17], 1)
    return result


def yearly_overview(*, user: User, year: int, school: School | None = None) -> YearlyOverview:
    """The overview of ``school`` (None: every school) for the school year starting 1 August ``year``,
    counted over the cases opened in that year that ``user`` may see (sanctions/access.py, rule 6).

    The caller checks that ``user`` may read it. A fixed number of queries at any size: each
    dimension is counted by the database; the involved roles (a list per report) are read as one
    column and added up here.
    """
    start, end = school_year_bounds(year)
    cases = overview_cases_for(user=user, school=school).filter(created_at__gte=start, created_at__lt=end)
    states: Counter = Counter()
    routes: Counter = Counter()
    for row in cases.values("state", "is_about_leadership").annotate(n=Count("pk")).order_by():
        states[row["state"]] += row["n"]
        routes["board" if row["is_about_leadership"] else "school"] += row["n"]
    categories: Counter = Counter()
    involved: Counter = Counter()
    for category, roles in Report.objects.filter(case__in=cases.values("pk")).values_list("category", "involved_roles"):
        categories[category] += 1
        involved.update(set(roles or []))
    measures = Counter(
        dict(
            Measure.objects.filter(case__in=cases.values("pk"), status=MeasureStatus.IN_EFFECT)
            .values_list("kind")
            .annotate(n=Count("pk"))
            .order_by()
        )
    )
    escalations = Counter(
        dict(
            Escalation.objects.filter(case__in=cases.values("pk"))
            .values_list("kind")
            .annotate(n=Count("pk"))
            .order_by()
        )
    )
    route_choices = [
        ("school", _("Behandeld door de schoolleiding")),
        ("board", _("Behandeld door het bestuur (gaat over de schoolleiding)")),
    ]
    tables = [
        _table("category", _("Meldingen per categorie"), Category.choices, categories),
        _table(
            "involved",
            _("Meldingen naar wie erbij betrokken was"),
            PartyRole.choices,
            involved,
            has_total=False,
            note=_("Een melding kan meer betrokkenen noemen; deze aantallen tellen daarom niet op."),
        ),
        _table("measure", _("Maatregelen die van kracht werden"), MeasureKind.choices, measures),
        _table("route", _("Dossiers per route"), route_choices, routes),
        _table("state", _("Dossiers per status (nu)"), CaseState.choices, states),
        _table("escalation", _("Escalaties"), EscalationKind.choices, escalations),
    ]
    if serious_incidents_enabled():
        serious: Counter = Counter()
        for kinds in SeriousIncident.objects.filter(case__in=cases.values("pk")).values_list("kinds", flat=True):
            serious.update(set(kinds or []))
        tables.append(
            _table(
                "serious",
                _("Ernstige incidenten"),
                SeriousIncidentKind.choices,
                serious,
                has_total=False,
                note=_("Een incident kan van meer soorten zijn; deze aantallen tellen daarom niet op."),
            )
        )
    if school is None:
        per_school = Counter(dict(cases.values_list("school__name").annotate(n=Count("pk")).order_by()))
        names = sorted(School.objects.values_list("name", flat=True))
        tables.insert(0, _table("school", _("Dossiers per school"), [(name, name) for name in names], per_school))
    durations = [
        _duration(_("Dagen tot in behandeling genomen"), cases, "acknowledged_at"),
        _duration(_("Dagen tot gesloten"), cases, "closed_at"),
    ]
    evaluations = SafetyEvaluation.objects.filter(school_year=year).select_related("school", "protocol_version")
    if school is not None:
        evaluations = evaluations.filter(school=school)
    return YearlyOverview(year, school, tables, durations, list(evaluations.order_by("school__name")))


def overview_rows(overview: YearlyOverview) -> list[list[str]]:
    """The same numbers as CSV rows: table, label, count (suppressed as on the page)."""
    rows = [["school_year", "scope", "table", "label", "count"]]
    year, scope = overview.year_label, overview.scope
    for table in overview.tables:
        rows += [[year, scope, table.title, cell.label, cell.shown] for cell in table.cells]
        if table.has_total:
            rows.append([year, scope, table.title, _("Totaal"), table.total_shown])
    for duration in overview.durations:
        rows.append([year, scope, duration.title, _("dossiers"), duration.count_shown])
        for label, value in (
            (_("mediaan"), duration.median),
            (_("75e percentiel"), duration.p75),
            (_("90e percentiel"), duration.p90),
        ):
            rows.append([year, scope, duration.title, label, "" if value is None else str(value)])
    for evaluation in overview.evaluations:
        title = _("Evaluatie %(school)s") % {"school": evaluation.school.name}
        rows += [
            [year, scope, title, _("Instrument van de monitor"), evaluation.monitor_instrument],
            [year, scope, title, _("Datum van de monitor"), evaluation.monitor_held_on.isoformat()],
            [year, scope, title, _("Resultaten aangeleverd"), _("ja") if evaluation.monitor_delivered else _("nee")],
            [year, scope, title, _("Conclusies"), evaluation.conclusions],
            [year, scope, title, _("Genomen maatregelen"), evaluation.measures_taken],
            [
                year,
                scope,
                title,
                _("Protocolversie"),
                str(evaluation.protocol_version.number) if evaluation.protocol_version else "",
            ],
        ]
    return rows


def years_with_cases() -> list[int]:
    """The school years to choose from: the current one back to the one of the oldest case."""
    today = timezone.localdate()
    current = school_year_of(today)
    oldest = Case.objects.order_by("created_at").values_list("created_at", flat=True).first()
    first = school_year_of(timezone.localtime(oldest).date()) if oldest else current
    return list(range(current, min(first, current) - 1, -1))
