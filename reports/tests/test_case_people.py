"""A case is never seen by, nor told to, the people it is about, a leader of its school included.

A handler records whom a case is about (CasePerson: by hand, or with a measure or a meldcode);
reports/access.py leaves them out of its case list, case pages, the board's access form and the routing.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from reports.access import case_leaders_with_access, recipients_for
from reports.constants import SubjectKind
from reports.models import CasePerson
from reports.services import report_reply_by_reporter
from reports.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def named_leader(school, school_leader, board_member):
    """A second leader of the school, whom the board names in one of the school's two cases."""
    leader = UserFactory(first_name="Sanne", last_name="Bakker", roles=[("school_leader", school)])
    about = ReportFactory(school=school, description="Over een schoolleider.")
    other = ReportFactory(school=school, description="Over iets anders.")
    CasePerson.objects.create(
        case=about.case, subject_kind=SubjectKind.STAFF, staff_member=leader, added_by=board_member
    )
    return leader, about, other


def test_the_named_leader_neither_lists_nor_opens_the_case(client, named_leader, school_leader, logged_in):
    leader, about, other = named_leader
    logged_in(leader)
    listed = client.get(reverse("reports:case_list")).content.decode()
    assert about.case.number not in listed and other.case.number in listed
    assert client.get(reverse("reports:case_detail", args=[about.case.pk])).status_code == 404
    message_url = reverse("reports:case_message", args=[about.case.pk, about.pk])
    assert client.post(message_url, {"body": "Mag ik dit zien?"}).status_code == 404
    # The school's other leader handles it as usual.
    logged_in(school_leader)
    assert client.get(reverse("reports:case_detail", args=[about.case.pk])).status_code == 200


def test_the_named_leader_is_not_told_of_news_in_the_case(named_leader, school_leader):
    from notifications.models import Notification

    leader, about, other = named_leader
    assert leader not in recipients_for(about) and school_leader in recipients_for(about)
    assert leader in recipients_for(other)
    report_reply_by_reporter(report=about, body="Er is nog een bericht bijgekomen.")
    told = set(Notification.objects.filter(template="reports/email/reporter_reply").values_list("recipient", flat=True))
    assert school_leader.pk in told and leader.pk not in told


def test_the_board_is_told_when_the_only_leader_is_the_one_named(school, board_member):
    leader = UserFactory(roles=[("school_leader", school)])
    report = ReportFactory(school=school)
    CasePerson.objects.create(
        case=report.case, subject_kind=SubjectKind.STAFF, staff_member=leader, added_by=board_member
    )
    assert recipients_for(report) == [board_member]


def test_the_boards_access_form_does_not_offer_the_named_leader(named_leader, school_leader):
    leader, about, other = named_leader
    assert list(case_leaders_with_access(case=about.case)) == [school_leader]
    assert leader in case_leaders_with_access(case=other.case)


def test_a_parent_named_in_a_case_who_sits_on_the_board_does_not_see_it(client, school, board_member, logged_in):
    other_member = UserFactory(roles=[("board", None)])
    report = ReportFactory(school=school)
    CasePerson.objects.create(
        case=report.case, subject_kind=SubjectKind.PARENT, parent=board_member, added_by=other_member
    )
    logged_in(board_member)
    assert client.get(reverse("reports:case_detail", args=[report.case.pk])).status_code == 404
    logged_in(other_member)
    assert client.get(reverse("reports:case_detail", args=[report.case.pk])).status_code == 200
