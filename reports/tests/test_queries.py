"""The case list costs the same number of queries however many cases there are."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.selectors import case_list_for
from reports.tests.factories import ReportFactory

from .test_views import verified

pytestmark = pytest.mark.django_db

# Session, user, OTP device, roles, navigation (schools, inbox), page count, cases, their reports.
CASE_LIST_PAGE_QUERIES = 9


def _cases(school, count: int) -> None:
    for _ in range(count):
        ReportFactory(school=school)


@pytest.mark.parametrize("count", [3, 60])
def test_the_case_list_page_query_count_is_pinned(client, school, school_leader, count):
    _cases(school, count)
    verified(client, school_leader)
    client.get(reverse("reports:case_list"))  # warm the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("reports:case_list"))
    assert response.status_code == 200
    assert response.content.decode().count('href="/cases/') == min(count, 25) + 1  # + the menu
    assert len(queries) == CASE_LIST_PAGE_QUERIES, "\n".join(q["sql"] for q in queries.captured_queries)


@pytest.mark.parametrize("count", [2, 40])
def test_the_case_list_selector_needs_three_queries(school, board_member, count, django_assert_num_queries):
    _cases(school, count)
    with django_assert_num_queries(3):  # the user's roles, the cases with their school, their reports
        cases = case_list_for(user=board_member)
        rows = [(case.school.name, [report.category for report in case.reports.all()]) for case in cases]
    assert len(rows) == count
