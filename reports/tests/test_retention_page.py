"""The board's retention page: the purge's dry run in the portal, numbers and dates only."""

from __future__ import annotations

import datetime

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from reports.constants import CaseState, ClosingReason
from reports.models import Case, Report
from reports.selectors import case_retention_schedule_for
from reports.services import case_legal_hold_set, case_retention_purge
from reports.tests.factories import ReportFactory

from .test_queries import bulk_cases

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _closed(report: Report, *, days_ago: int, hold: bool = False) -> Case:
    Case.objects.filter(pk=report.case_id).update(
        state=CaseState.CLOSED,
        closed_at=timezone.now() - days_ago * DAY,
        closing_reason=ClosingReason.HANDLED,
        is_on_legal_hold=hold,
    )
    return Case.objects.get(pk=report.case_id)


@override_settings(CASE_RETENTION_DAYS=30)
def test_the_page_lists_what_the_purge_takes_when_and_what_is_on_hold_without_content(
    client, school, board_member, logged_in
):
    due = _closed(
        ReportFactory(school=school, description="Geheime beschrijving A", involved_names="Noor"), days_ago=40
    )
    later = _closed(ReportFactory(school=school, reporter_name="Karin Bakker"), days_ago=10)
    held = _closed(ReportFactory(school=school), days_ago=400)
    case_legal_hold_set(case=held, is_on_legal_hold=True, by=board_member, reason="Aangifte bij de politie loopt.")
    open_case = ReportFactory(school=school).case
    logged_in(board_member)
    response = client.get(reverse("reports:retention"))
    assert response.status_code == 200
    page = response.content.decode()
    # The page says exactly what the purge would do now.
    assert [row["case"] for row in case_retention_purge(dry_run=True)] == [due.number]
    assert "Bij de volgende dagelijkse ronde: 1 dossier." in page
    assert page.index(due.number) < page.index(later.number)  # oldest first
    assert (later.closed_at + 30 * DAY).strftime("%-d") in page
    assert page.count('data-testid="retention-row"') == 2 and page.count('data-testid="hold-row"') == 1
    assert "1 melding, 0 berichten, 0 bestanden" in page
    assert open_case.number not in page
    # Numbers, schools, dates and counts: no description, name or hold reason.
    for content in ("Geheime beschrijving", "Noor", "Karin Bakker", "melder@example.nl", "Aangifte bij de politie"):
        assert content not in page
    # Lifting the hold moves the case to the list; setting it again moves it back.
    case_legal_hold_set(case=held, is_on_legal_hold=False, by=board_member)
    schedule = case_retention_schedule_for(user=board_member)
    assert [case.number for case in schedule["pending"]] == [held.number, due.number, later.number]
    assert schedule["due_count"] == 2 and not schedule["on_hold"].exists()


def test_a_school_leader_and_a_teacher_get_404(client, school_leader, teacher, logged_in):
    for user in (school_leader, teacher):
        logged_in(user)
        assert client.get(reverse("reports:retention")).status_code == 404


def test_a_case_about_the_board_member_is_not_listed_to_them(school, board_member):
    from reports.models import CaseSubject

    case = _closed(ReportFactory(school=school), days_ago=800)
    CaseSubject.objects.create(case=case, user=board_member, found_by="declared")
    schedule = case_retention_schedule_for(user=board_member)
    assert list(schedule["pending"]) == [] and schedule["due_count"] == 0


# Session, user, OTP device, roles and the menu's (schools, inbox, ...), then the board's term for
# cases (retention), the due count, the page count, the page of cases with their counts and the cases
# on hold with theirs: one query each.
RETENTION_PAGE_QUERIES = 12


@pytest.mark.parametrize("count", [20, 300])
def test_the_retention_page_query_count_is_pinned(
    client, school, board_member, count, django_assert_num_queries, logged_in
):
    bulk_cases(school, count)
    now = timezone.now()
    Case.objects.update(state=CaseState.CLOSED, closed_at=now - 800 * DAY, closing_reason=ClosingReason.HANDLED)
    Case.objects.filter(pk__in=Case.objects.order_by("pk").values("pk")[:5]).update(is_on_legal_hold=True)
    logged_in(board_member)
    client.get(reverse("reports:retention"))  # warm the session
    with django_assert_num_queries(RETENTION_PAGE_QUERIES):
        response = client.get(reverse("reports:retention"))
    page = response.content.decode()
    assert page.count('data-testid="retention-row"') == min(count - 5, 50)
    assert page.count('data-testid="hold-row"') == 5
