"""Withdrawing a leader's access to a case (conflict of interest): the case leaves the leader's list,
and only the board withdraws. Which role gets which answer at which case page, and that a case hidden
from someone answers 404, never 403, is the access matrix's (skow_portal/tests/test_access_matrix.py).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from reports.services import case_access_withdraw
from reports.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


def test_a_leader_whose_access_was_withdrawn_no_longer_sees_it_in_the_list(
    school, school_leader, board_member, logged_in
):
    kept, withdrawn = ReportFactory(school=school), ReportFactory(school=school)
    case_access_withdraw(case=withdrawn.case, user=school_leader, by=board_member, reason="Belangenverstrengeling.")
    page = logged_in(school_leader).get(reverse("reports:case_list")).content.decode()
    assert kept.case.number in page and withdrawn.case.number not in page


def test_only_the_board_withdraws_access(school, school_leader, logged_in):
    other_leader = UserFactory(roles=[("school_leader", school)])
    report = ReportFactory(school=school)
    response = logged_in(school_leader).post(
        reverse("reports:case_access", args=[report.case.pk]), {"user": other_leader.pk, "reason": "x"}
    )
    assert response.status_code == 404
    assert not report.case.access_withdrawals.exists()
