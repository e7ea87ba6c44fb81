"""The routing table (protocol A.9): every category × about leadership → who is told, and nobody else."""

from __future__ import annotations

import pytest

from accounts.tests.factories import UserFactory
from reports.constants import Category
from reports.routing import recipients_for
from reports.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

LEADERS, BOARD = "leaders", "board"
BOARD_TOO = {Category.RADICALISATION, Category.THREATS, Category.SEXTING}
STAFF_RULES = {Category.BEFRIENDING_PUPILS, Category.ARGUING_ONLINE, Category.STAFF_RULE_OTHER}


def expected(category: str, about_leadership: bool, involves_staff: bool) -> set[str]:
    if about_leadership:
        return {BOARD}
    if category in BOARD_TOO or category in STAFF_RULES or involves_staff:
        return {LEADERS, BOARD}
    return {LEADERS}


TABLE = [
    (category, about_leadership, involves_staff, expected(category, about_leadership, involves_staff))
    for category in Category
    for about_leadership in (False, True)
    for involves_staff in (False, True)
]


@pytest.fixture
def people(school, other_school):
    leader = UserFactory(roles=[("school_leader", school), ("staff", school)])
    second_leader = UserFactory(roles=[("school_leader", school)])
    UserFactory(roles=[("school_leader", other_school)])  # never told about another school
    UserFactory(roles=[("staff", school)])  # staff are not handlers
    UserFactory(roles=[("council_secretary", None)])
    board = UserFactory(roles=[("board", None)])
    return {LEADERS: {leader.pk, second_leader.pk}, BOARD: {board.pk}}


@pytest.mark.parametrize(("category", "about_leadership", "involves_staff", "told"), TABLE)
def test_routing_table(people, school, category, about_leadership, involves_staff, told):
    report = ReportFactory(
        school=school,
        category=category,
        is_about_leadership=about_leadership,
        involved_roles=["pupil", "staff"] if involves_staff else ["pupil"],
    )
    expected_ids = set().union(*(people[group] for group in told))
    assert {user.pk for user in recipients_for(report)} == expected_ids


def test_a_school_without_leadership_on_record_goes_to_the_board(other_school, board_member):
    report = ReportFactory(school=other_school, category=Category.BULLYING)
    assert recipients_for(report) == [board_member]


def test_inactive_leaders_are_not_told(school, board_member):
    leader = UserFactory(roles=[("school_leader", school)])
    leader.is_active = False
    leader.save()
    report = ReportFactory(school=school, category=Category.BULLYING)
    assert recipients_for(report) == [board_member]


def test_a_leader_whose_access_was_withdrawn_is_no_longer_told(school, school_leader, board_member):
    from reports.services import case_access_withdraw

    colleague = UserFactory(roles=[("school_leader", school)])
    report = ReportFactory(school=school)
    case_access_withdraw(case=report.case, user=school_leader, by=board_member, reason="Familie van de leerling.")
    assert recipients_for(report) == [colleague]
