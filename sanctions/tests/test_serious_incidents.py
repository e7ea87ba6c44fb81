"""Ernstig incident: a flag on a case that gives the board the task "melding Inspectie overwegen",
behind SERIOUS_INCIDENT_TASKS (off by default)."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.tests.factories import UserFactory
from common.refusals import ActionRefused
from notifications.models import Notification
from reports.constants import TimelineKind
from reports.tests.factories import ReportFactory
from sanctions.constants import InspectieDecision, SeriousIncidentKind
from sanctions.models import SeriousIncident
from sanctions.services import serious_incident_decide, serious_incident_flag
from sanctions.tests.factories import MeasureFactory

pytestmark = pytest.mark.django_db

CRIMINAL = SeriousIncidentKind.CRIMINAL_OFFENCE.value
SEXUAL = SeriousIncidentKind.SEXUAL_OFFENCE.value


@pytest.fixture
def switched_on(settings):
    settings.SERIOUS_INCIDENT_TASKS = True
    settings.SERIOUS_INCIDENT_TASK_DAYS = 5


@pytest.fixture
def case(school):
    return ReportFactory(
        school=school,
        description="Pietje Puk werd op het schoolplein bedreigd met een mes.",
        involved_names="Pietje Puk",
        reporter_name="Karin Bakker",
    ).case


def test_the_setting_is_off_by_default():
    assert settings.SERIOUS_INCIDENT_TASKS is False


def test_while_off_there_is_no_flag_no_task_page_and_no_menu_entry(case, school_leader, board_member, logged_in):
    leader = logged_in(school_leader)
    assert leader.get(f"/cases/{case.pk}/escalations/serious/").status_code == 404
    assert "Ernstig incident" not in leader.get(f"/cases/{case.pk}/escalations/").content.decode()
    with pytest.raises(ActionRefused):
        serious_incident_flag(case=case, by=school_leader, kinds=[CRIMINAL])
    board = logged_in(board_member)
    assert board.get("/serious-incidents/").status_code == 404
    assert "Ernstige incidenten" not in board.get("/cases/").content.decode()


def test_a_flag_gives_every_board_member_a_task_due_in_five_days(switched_on, case, school_leader, board_member):
    other_member = UserFactory(roles=[("board", None)])
    incident = serious_incident_flag(case=case, by=school_leader, kinds=[SEXUAL, CRIMINAL])
    assert incident.kinds == [CRIMINAL, SEXUAL]  # in the order of the choices
    assert incident.due_on == timezone.localdate() + datetime.timedelta(days=5)
    told = Notification.objects.filter(template="sanctions/email/serious_incident")
    assert {n.recipient_id for n in told} == {board_member.pk, other_member.pk}
    assert case.timeline.filter(kind=TimelineKind.ESCALATION, data__serious_incident=incident.pk).exists()


def test_the_mail_carries_no_case_content(
    switched_on, case, school_leader, board_member, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        serious_incident_flag(case=case, by=school_leader, kinds=[CRIMINAL])
    mail = next(m for m in mailoutbox if board_member.email in m.to)
    assert "Pietje" not in mail.body and "mes" not in mail.body.split() and case.number not in mail.body
    assert "Melding Inspectie overwegen" in mail.subject


def test_the_board_reads_a_summary_without_names_or_text_and_decides(
    switched_on, case, school, school_leader, board_member, logged_in
):
    MeasureFactory(case=case, reason="Pietje Puk kreeg een waarschuwing.")
    leader = logged_in(school_leader)
    response = leader.post(f"/cases/{case.pk}/escalations/serious/", {"kinds": [CRIMINAL]})
    assert response.status_code == 302
    board = logged_in(board_member)
    html = board.get("/serious-incidents/").content.decode()
    assert "Strafbaar feit" in html and school.name in html and "Waarschuwing" in html
    for word in ("Pietje", "Karin Bakker", "mes.", case.number):
        assert word not in html
    incident = SeriousIncident.objects.get()
    response = board.post(
        f"/serious-incidents/{incident.pk}/",
        {"decision": "reported", "decided_on": timezone.localdate().isoformat(), "note": "Gemeld per telefoon."},
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert (incident.decision, incident.decided_by) == (InspectieDecision.REPORTED, board_member)
    assert "Er zijn geen open taken." in board.get("/serious-incidents/").content.decode()


def test_a_flag_without_a_kind_is_refused_with_a_dutch_message(switched_on, case, school_leader, logged_in):
    response = logged_in(school_leader).post(f"/cases/{case.pk}/escalations/serious/", {})
    assert response.status_code == 400
    assert "Kies wat dit incident ernstig maakt." in response.content.decode()
    assert not SeriousIncident.objects.exists()


def test_flagging_again_adds_kinds_and_tells_the_board_once(switched_on, case, school_leader, board_member):
    serious_incident_flag(case=case, by=school_leader, kinds=[CRIMINAL])
    incident = serious_incident_flag(case=case, by=school_leader, kinds=[SEXUAL])
    assert incident.kinds == [CRIMINAL, SEXUAL]
    assert Notification.objects.filter(template="sanctions/email/serious_incident", channel="email").count() == 1
    with pytest.raises(ActionRefused):
        serious_incident_flag(case=case, by=school_leader, kinds=[CRIMINAL])


def test_only_a_board_member_the_case_is_not_about_decides(switched_on, case, school_leader, board_member):
    incident = serious_incident_flag(case=case, by=school_leader, kinds=[CRIMINAL])
    with pytest.raises(ActionRefused):
        serious_incident_decide(
            incident=incident, by=school_leader, decision="reported", decided_on=timezone.localdate()
        )


def test_a_leader_of_another_school_cannot_flag(switched_on, case, other_school, logged_in):
    leader_b = UserFactory(roles=[("school_leader", other_school)])
    assert logged_in(leader_b).post(f"/cases/{case.pk}/escalations/serious/", {"kinds": [CRIMINAL]}).status_code == 404
    assert not SeriousIncident.objects.exists()


def test_the_yearly_overview_counts_serious_incidents_only_while_on(case, school, school_leader, settings):
    from sanctions.overview import school_year_of, yearly_overview

    year = school_year_of(timezone.localdate())
    assert "serious" not in [t.key for t in yearly_overview(user=school_leader, year=year, school=school).tables]
    settings.SERIOUS_INCIDENT_TASKS = True
    serious_incident_flag(case=case, by=school_leader, kinds=[CRIMINAL])
    tables = {t.key: t for t in yearly_overview(user=school_leader, year=year, school=school).tables}
    assert next(c.shown for c in tables["serious"].cells) == "<5"


def test_anonymising_the_case_keeps_the_kinds_and_removes_the_boards_note(
    switched_on, case, school_leader, board_member
):
    from sanctions.retention import case_anonymise_sanctions

    incident = serious_incident_flag(case=case, by=school_leader, kinds=[CRIMINAL])
    serious_incident_decide(
        incident=incident, by=board_member, decision="not_reported", decided_on=timezone.localdate(), note="Overleg."
    )
    case_anonymise_sanctions(case)
    incident.refresh_from_db()
    assert (incident.kinds, incident.decision, incident.decision_note) == ([CRIMINAL], "not_reported", "")


@pytest.mark.parametrize("flagged", [1, 8])
def test_the_task_list_takes_the_same_queries_at_any_size(
    switched_on, flagged, school, school_leader, board_member, logged_in, django_assert_num_queries
):
    for _n in range(flagged):
        case = ReportFactory(school=school).case
        MeasureFactory(case=case)
        serious_incident_flag(case=case, by=school_leader, kinds=[CRIMINAL])
    client = logged_in(board_member)
    client.get("/serious-incidents/")
    with django_assert_num_queries(11):
        response = client.get("/serious-incidents/")
    assert response.content.decode().count('data-testid="serious-incident-task"') == flagged
