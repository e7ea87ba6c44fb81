"""Nobody handles a case about themselves, whatever the reporter ticked.

A report that names a leader of the school or a board member is the board's, without that person;
a handler who says "deze melding gaat over mij" hands the case to the board and loses access at once.
"""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse

from accounts.tests.factories import UserFactory
from common.refusals import ActionRefused
from notifications.models import Notification
from reports import services
from reports.constants import Category, Platform, ReporterRole, SubjectFinding, TimelineKind
from reports.models import Case, CaseSubject, TimelineEntry
from reports.selectors import case_handler_candidates, cases_visible_to
from reports.tests.factories import CaseFactory, ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def director(school):
    return UserFactory(
        first_name="Anna",
        last_name="de Vries",
        email="a.devries@skow.nl",
        roles=[("school_leader", school), ("staff", school)],
    )


@pytest.fixture
def deputy(school):
    """The school's other leader: a case about the leadership is not hers either."""
    return UserFactory(first_name="Fatima", last_name="el Idrissi", roles=[("school_leader", school)])


@pytest.fixture
def board(db):
    return [
        UserFactory(first_name="Kees", last_name="Bos", email="k.bos@skow.nl", roles=[("board", None)]),
        UserFactory(first_name="Ineke", last_name="Maas", roles=[("board", None)]),
    ]


def submit(school, **overrides):
    values = {
        "school": school,
        "category": Category.OTHERWISE_DAMAGING,
        "platform": Platform.WHATSAPP,
        "happened_on": datetime.date(2026, 11, 20),
        "description": "Een leerling wordt in de groepsapp uitgescholden.",
        "reporter_role": ReporterRole.STAFF,
        "is_anonymous": False,
        "reporter_name": "Mark Visser",
        "reporter_email": "m.visser@example.nl",
        "submission_key": "key-1",
    }
    values.update(overrides)
    with TestCase.captureOnCommitCallbacks(execute=True):
        report, _code = services.report_submit(**values)
    return report


def told(template: str) -> set[int]:
    return set(Notification.objects.filter(template=template).values_list("recipient_id", flat=True))


# Named in the report ---------------------------------------------------------------------------------


def test_a_report_naming_the_director_in_the_text_without_the_tick_reaches_the_board_not_her(
    school, director, deputy, board
):
    report = submit(
        school,
        description="Anna de Vries zette een foto van een leerling in de ouderapp, zonder toestemming.",
        is_about_leadership=False,
    )
    case = Case.objects.get()
    assert case.is_about_leadership and not report.is_about_leadership  # what the reporter ticked stays
    assert told("reports/email/new_report") == {member.pk for member in board}
    assert not [m for m in mail.outbox if director.email in m.to or deputy.email in m.to]
    assert case not in cases_visible_to(user=director) and case not in cases_visible_to(user=deputy)
    assert all(case in cases_visible_to(user=member) for member in board)
    entry = TimelineEntry.objects.get(case=case, kind=TimelineKind.SUBJECT_NAMED)
    assert entry.author is None and entry.summary == "Anna de Vries"
    assert entry.data == {"user_id": director.pk, "found_by": SubjectFinding.BY_NAME, "report_id": report.pk}


def test_a_report_naming_the_director_among_the_people_involved_or_by_email_address_is_the_boards(
    school, director, board
):
    submit(school, involved_names="De Vries, Anna; de mentor van groep 7")
    submit(school, description="Ze mailde vanaf a.devries@skow.nl naar de ouders.", submission_key="key-2")
    assert list(CaseSubject.objects.values_list("user", "found_by")) == [
        (director.pk, SubjectFinding.BY_NAME),
        (director.pk, SubjectFinding.BY_EMAIL),
    ]
    assert not Case.objects.filter(is_about_leadership=False).exists()


def test_a_report_naming_a_board_member_goes_to_the_other_board_members(school, director, board):
    named, other = board
    submit(school, description="Kees Bos reageerde onder een post van een ouder met scheldwoorden.")
    case = Case.objects.get()
    assert told("reports/email/new_report") == {other.pk}
    assert case not in cases_visible_to(user=named) and case in cases_visible_to(user=other)
    assert case not in cases_visible_to(user=director)  # about the leadership: the board's
    assert named not in case_handler_candidates(case=case)


def test_a_report_naming_only_a_first_name_or_a_surname_stays_with_the_school(school, director, board):
    submit(school, description="Juf Anna en mevrouw De Vries hebben het ook gezien.")
    case = Case.objects.get()
    assert not case.is_about_leadership and not CaseSubject.objects.exists()
    assert director.pk in told("reports/email/new_report")


def test_a_reply_naming_the_director_hands_the_case_to_the_board(school, director, board):
    report = submit(school)
    services.case_open(case=report.case, viewer=director)
    assert Case.objects.get().handler == director
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.report_reply_by_reporter(report=report, body="Ik bedoel de directeur, Anna de Vries.")
    case = Case.objects.get()
    assert case.is_about_leadership and case.handler is None
    assert told("reports/email/reporter_reply") == {member.pk for member in board}
    assert case not in cases_visible_to(user=director)
    assert TimelineEntry.objects.get(case=case, kind=TimelineKind.SUBJECT_NAMED).data["found_by"] == "name"


def test_a_case_about_the_only_board_member_and_the_leader_still_reaches_the_other_leader_never_them(
    school, director, deputy, board_member
):
    board_member.first_name, board_member.last_name = "Kees", "Bos"
    board_member.save()
    submit(school, description="Anna de Vries en Kees Bos wisten ervan.")
    # Nobody is left who may handle it: it is kept, and nobody it is about is told.
    assert told("reports/email/new_report") == set()


def test_merging_keeps_whom_the_reports_were_about(school, director, board):
    named = submit(school, description="Anna de Vries deelde de foto.").case
    other = ReportFactory(school=school, about_leadership=True).case
    services.case_merge(source=named, target=other, by=board[0])
    assert CaseSubject.objects.filter(case=other, user=director).exists()
    assert other not in cases_visible_to(user=director)


# Declared by the handler -----------------------------------------------------------------------------


def test_a_leader_who_declares_the_case_is_about_her_hands_it_to_the_board_and_loses_access(
    school, director, deputy, board
):
    report = ReportFactory(school=school, description="Een ouder klaagt over een bericht in de ouderapp.")
    services.case_open(case=report.case, viewer=director)
    with TestCase.captureOnCommitCallbacks(execute=True):
        subject = services.case_declare_about_self(case=report.case, user=director)
    case = Case.objects.get()
    assert subject.found_by == SubjectFinding.DECLARED and subject.user == director
    assert case.is_about_leadership and case.handler is None
    assert case not in cases_visible_to(user=director) and case not in cases_visible_to(user=deputy)
    assert told("reports/email/case_handed_to_board") == {member.pk for member in board}
    handed = [m for m in mail.outbox if m.to == [board[0].email]]
    assert handed and "ouderapp" not in handed[0].body and case.number in handed[0].subject
    entry = TimelineEntry.objects.get(case=case, kind=TimelineKind.SUBJECT_DECLARED)
    assert entry.author == director


def test_a_board_member_who_declares_hands_the_case_to_the_other_board_members(school, director, board):
    declarer, other = board
    report = ReportFactory(school=school)
    services.case_handler_assign(case=report.case, handler=declarer, by=declarer)
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.case_declare_about_self(case=report.case, user=declarer)
    case = Case.objects.get()
    assert told("reports/email/case_handed_to_board") == {other.pk}
    assert case.handler is None
    assert case not in cases_visible_to(user=declarer) and case in cases_visible_to(user=other)
    assert list(case_handler_candidates(case=case)) == [other]


def test_whoever_may_not_handle_the_case_cannot_declare_it(school, other_school, director):
    case = CaseFactory(school=other_school)
    with pytest.raises(ActionRefused) as refused:
        services.case_declare_about_self(case=case, user=director)
    assert refused.value.status == 404  # the page answers as for a case that does not exist
    assert not CaseSubject.objects.exists()


def test_the_deadline_alert_to_the_board_leaves_out_the_board_member_it_is_about(school, board):
    from django.utils import timezone

    named, other = board
    report = ReportFactory(school=school, case__created_at=timezone.now() - datetime.timedelta(days=10))
    services.case_declare_about_self(case=report.case, user=named)
    Notification.objects.all().delete()
    assert services.case_deadlines_check()["acknowledge_alerts"] == 1
    assert told("reports/email/case_deadline_alert") == {other.pk}


# The pages -------------------------------------------------------------------------------------------


def test_the_first_opening_asks_whether_the_case_is_about_the_one_opening_it(client, school, director, logged_in):
    case = ReportFactory(school=school).case
    logged_in(director)
    first = client.get(reverse("reports:case_detail", args=[case.pk])).content.decode()
    again = client.get(reverse("reports:case_detail", args=[case.pk])).content.decode()
    assert 'data-testid="about-me-prompt"' in first and 'data-testid="about-me-prompt"' not in again
    assert reverse("reports:case_about_me", args=[case.pk]) in again  # the button stays on the page


def test_declaring_goes_through_a_confirmation_page(client, school, director, board, logged_in):
    case = ReportFactory(school=school).case
    url = reverse("reports:case_about_me", args=[case.pk])
    logged_in(director)
    page = client.get(url)
    assert page.status_code == 200 and "Ja, deze melding gaat over mij" in page.content.decode()
    assert not CaseSubject.objects.exists()  # looking is not declaring
    unconfirmed = client.post(url, {})
    assert unconfirmed.status_code == 400 and "Bevestig eerst." in unconfirmed.content.decode()
    assert not CaseSubject.objects.exists()
    response = client.post(url, {"confirm": "1"})
    assert response.status_code == 302 and response.url == reverse("reports:case_list")
    assert CaseSubject.objects.get().user == director
    assert client.get(reverse("reports:case_detail", args=[case.pk])).status_code == 404
    assert client.get(url).status_code == 404


def test_the_timeline_tells_the_board_who_was_named_and_who_declared(client, school, director, board, logged_in):
    named = submit(school, description="Anna de Vries deelde de foto.").case
    declared = ReportFactory(school=school).case
    services.case_declare_about_self(case=declared, user=board[1])
    logged_in(board[0])
    page = client.get(reverse("reports:case_detail", args=[named.pk])).content.decode()
    assert "Gaat over de leiding: naam herkend" in page and "naam herkend in de melding" in page
    assert "Anna de Vries" in page
    page = client.get(reverse("reports:case_detail", args=[declared.pk])).content.decode()
    assert "Gaat over de behandelaar: zelf aangegeven" in page and "Ineke Maas" in page


def test_anonymising_the_case_forgets_whom_it_was_about(school, director, board):
    from django.utils import timezone

    case = submit(school, description="Anna de Vries deelde de foto.").case
    Case.objects.filter(pk=case.pk).update(state="closed", closed_at=timezone.now())
    services.case_anonymise(case=case)
    assert not CaseSubject.objects.exists()
    assert TimelineEntry.objects.get(case=case, kind=TimelineKind.SUBJECT_NAMED).summary == ""
