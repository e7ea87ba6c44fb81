"""The case list costs the same number of queries however many cases there are.

The bench's sizes are 20 and 10,000 cases on PostgreSQL; on SQLite the suite uses 500 as a stand-in
(set CASE_QUERY_BIG=10000 with DATABASE_URL=postgres://... to run the full size).
"""

from __future__ import annotations

import datetime
import os
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reports.constants import Category, Platform, ReporterRole
from reports.models import Case, Report
from reports.selectors import case_list_for

pytestmark = pytest.mark.django_db

BIG = int(os.environ.get("CASE_QUERY_BIG", "500"))
# Session, user, OTP device, roles, navigation (schools, inbox), filter choices (schools, handlers),
# page count, cases with school and handler, their reports.
CASE_LIST_PAGE_QUERIES = 11


def bulk_cases(school, count: int, *, handler=None) -> None:
    """``count`` cases with one report each, in two INSERTs (factories would take minutes at 10,000).

    The list shows no content, so the reports carry none: a sealed text is written row by row
    (common/vault.py, SealedModel), which a bulk INSERT cannot do.
    """
    now = timezone.now()
    cases = Case.objects.bulk_create(
        [
            Case(
                school=school,
                handler=handler,
                created_at=now - datetime.timedelta(hours=i),
                acknowledge_due_at=now - datetime.timedelta(hours=i) + datetime.timedelta(days=7),
                feedback_due_at=now - datetime.timedelta(hours=i) + datetime.timedelta(days=91),
            )
            for i in range(count)
        ]
    )
    Report.objects.bulk_create(
        [
            Report(
                case=case,
                school=school,
                category=Category.BULLYING,
                platform=Platform.WHATSAPP,
                happened_on=now.date(),
                reporter_role=ReporterRole.PARENT,
                receipt_code_digest=f"digest-{case.pk}",
                submission_digest=f"key-{case.pk}",
            )
            for case in cases
        ]
    )


@pytest.mark.parametrize("count", [20, BIG])
def test_the_case_list_page_query_count_is_pinned(
    client, school, school_leader, count, django_assert_num_queries, logged_in
):
    bulk_cases(school, count, handler=school_leader)
    logged_in(school_leader)
    client.get(reverse("reports:case_list"))  # warm the session
    # The search goes by number or school: what reports say is sealed (common/vault.py).
    filtered = "?" + urlencode(
        {
            "sort": "overdue",
            "state": "new",
            "category": "bullying",
            "handler": "me",
            "q": school.name,
            "school": school.pk,
        }
    )
    # A chosen school is looked up once more by the form's field.
    for query, expected in (("", CASE_LIST_PAGE_QUERIES), (filtered, CASE_LIST_PAGE_QUERIES + 1)):
        with django_assert_num_queries(expected):
            response = client.get(reverse("reports:case_list") + query)
        assert response.status_code == 200
        assert response.content.decode().count('data-testid="case-row"') == min(count, 25)


@pytest.mark.parametrize("count", [20, BIG])
def test_the_case_list_selector_needs_three_queries(school, board_member, count, django_assert_num_queries):
    bulk_cases(school, count)
    with django_assert_num_queries(3):  # the user's roles, the cases with their school, their reports
        cases = case_list_for(user=board_member)[:25]
        rows = [(case.school.name, [report.category for report in case.reports.all()]) for case in cases]
    assert len(rows) == min(count, 25)


def test_the_page_lists_25_rows_and_is_fast_to_count(client, school, school_leader, logged_in):
    bulk_cases(school, 60)
    logged_in(school_leader)
    with CaptureQueriesContext(connection):
        page = client.get(reverse("reports:case_list") + "?page=3").content.decode()
    assert page.count('data-testid="case-row"') == 10
