"""Board statistics: counts, durations, overdue, as server-rendered SVG bars and as CSV."""

from __future__ import annotations

import csv
import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.constants import CaseState, Category, Platform
from reports.models import Case
from reports.statistics import case_statistics
from reports.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def some_cases(school, other_school):
    now = timezone.now()
    ReportFactory(school=school, category=Category.BULLYING, platform=Platform.WHATSAPP)
    ReportFactory(school=school, category=Category.SEXTING, platform=Platform.SNAPCHAT)
    late = ReportFactory(school=other_school, case__created_at=now - datetime.timedelta(days=20))
    Case.objects.filter(pk=late.case.pk).update(
        state=CaseState.CLOSED,
        acknowledged_at=late.case.created_at + datetime.timedelta(days=2),
        closed_at=late.case.created_at + datetime.timedelta(days=10),
        closing_reason="handled",
    )
    overdue = ReportFactory(school=other_school, case__created_at=now - datetime.timedelta(days=8))
    return overdue


def test_the_numbers(some_cases):
    result = case_statistics()
    charts = {chart.key: {bar.label: bar.count for bar in chart.bars} for chart in result.charts}
    assert charts["school"] == {"Basisschool De Windroos": 2, "Sint-Jozefschool": 2}
    assert charts["category"] == {"Pesten": 3, "Sexting": 1}
    assert charts["platform"] == {"WhatsApp": 3, "Snapchat": 1}
    assert sum(charts["quarter"].values()) == 4
    assert result.to_acknowledge.count == 1 and result.to_acknowledge.mean_days == 2.0
    assert result.to_close.mean_days == 10.0
    assert result.overdue == 1 and result.total == 4


def test_the_page_is_for_the_board_and_has_no_inline_style_or_script(
    client, some_cases, board_member, school_leader, logged_in
):
    logged_in(school_leader)
    assert client.get(reverse("reports:statistics")).status_code == 404
    logged_in(board_member)
    page = client.get(reverse("reports:statistics")).content.decode()
    assert page.count("<h1") == 1 and '<svg class="stat-bar"' in page and 'width="100"' in page
    assert "style=" not in page  # a Content-Security-Policy without unsafe-inline is coming
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)
    assert 'data-testid="stat-overdue">1<' in page


def test_the_csv_holds_the_same_numbers(some_cases, board_member, logged_in):
    response = logged_in(board_member).get(reverse("reports:statistics_csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["dimension", "label", "value"]
    assert ["category", "Pesten", "3"] in rows and ["overdue", "cases", "1"] in rows


def test_the_case_pages_have_no_inline_style(client, school, board_member, logged_in):
    report = ReportFactory(school=school)
    logged_in(board_member)
    for url in (reverse("reports:case_list"), reverse("reports:case_detail", args=[report.case.pk])):
        assert "style=" not in client.get(url).content.decode()


def test_the_median_is_the_middle_case_not_the_mean(school):
    """Three closed cases of 1, 2 and 9 days: mean 4.0, median 2.0; a fourth of 5 days: median 3.5."""
    now = timezone.now()
    for days in (1, 2, 9):
        report = ReportFactory(school=school, case__created_at=now - datetime.timedelta(days=30))
        Case.objects.filter(pk=report.case.pk).update(
            state=CaseState.CLOSED,
            acknowledged_at=report.case.created_at + datetime.timedelta(hours=12),
            closed_at=report.case.created_at + datetime.timedelta(days=days),
            closing_reason="handled",
        )
    result = case_statistics()
    assert (result.to_close.count, result.to_close.mean_days, result.to_close.median_days) == (3, 4.0, 2.0)
    assert (result.to_acknowledge.mean_days, result.to_acknowledge.median_days) == (0.5, 0.5)
    assert result.to_acknowledge.count == 3 and result.total == 3

    report = ReportFactory(school=school, case__created_at=now - datetime.timedelta(days=30))
    Case.objects.filter(pk=report.case.pk).update(
        state=CaseState.CLOSED, closed_at=report.case.created_at + datetime.timedelta(days=5), closing_reason="handled"
    )
    result = case_statistics()
    assert (result.to_close.count, result.to_close.median_days) == (4, 3.5)
    assert result.to_acknowledge.count == 3  # the fourth was closed without being acknowledged


@pytest.mark.parametrize("count", [20, 200])
def test_the_statistics_cost_the_same_six_queries_however_many_cases(school, count, django_assert_num_queries):
    """The same queries on PostgreSQL (CI) and SQLite (the developer's loop): one path for both."""
    from django.db.models import F

    from reports.tests.test_queries import bulk_cases

    bulk_cases(school, count)
    cases = Case.objects.order_by("pk")
    cases.update(acknowledged_at=F("created_at") + datetime.timedelta(days=2))
    # Every other case closed, after 1, 2, 3, ... days: the median is the middle of those.
    closed = list(cases.values_list("pk", flat=True)[::2])
    for days, pk in enumerate(closed, start=1):
        cases.filter(pk=pk).update(closed_at=F("created_at") + datetime.timedelta(days=days), state=CaseState.CLOSED)
    # Schools, categories with platforms, quarters, the totals with both means, and each median.
    with django_assert_num_queries(6):
        result = case_statistics()
    assert result.total == count and result.to_acknowledge.count == count
    assert (result.to_acknowledge.mean_days, result.to_acknowledge.median_days) == (2.0, 2.0)
    half = count // 2
    assert result.to_close.count == half
    assert result.to_close.median_days == result.to_close.mean_days == (half + 1) / 2


def test_the_staff_rules_are_counted_each_under_their_own_article(school):
    ReportFactory(school=school, category=Category.OFF_DUTY_CONTRARY_VIEWS)
    ReportFactory(school=school, category=Category.ROLE_NOT_STATED)
    ReportFactory(school=school, category=Category.STAFF_RULE_OTHER)
    charts = {chart.key: {bar.label: bar.count for bar in chart.bars} for chart in case_statistics().charts}
    labels = set(charts["category"])
    assert any(label.endswith("(C.2)") for label in labels)
    assert any(label.endswith("(B.2)") for label in labels)
    # A case recorded under "andere overtreding" keeps its category.
    assert "Andere overtreding van de regels voor medewerkers" in labels
    assert len(labels) == 3
