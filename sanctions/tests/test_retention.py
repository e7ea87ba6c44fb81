"""After the retention period reports anonymises the case; sanctions clears people and texts with it."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from accounts.tests.factories import PupilFactory, UserFactory
from reports.models import CasePerson
from reports.services import case_anonymise
from reports.tests.factories import CaseFactory
from sanctions import services
from sanctions.constants import MeasureKind, MeasureStatus, SubjectKind
from sanctions.models import Escalation, Measure

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 20)


def test_anonymising_keeps_what_was_decided_and_removes_who_and_why(
    school, school_leader, board_member, client, logged_in
):
    case = CaseFactory(school=school)
    tim = UserFactory(first_name="Tim", last_name="Visser", roles=[("staff", school)])
    measure = services.measure_record(
        case=case,
        by=school_leader,
        subject_kind=SubjectKind.STAFF,
        staff_member=tim,
        kind=MeasureKind.SUSPENSION,
        reason="Scheldpartij in de oudergroep.",
        decided_on=TODAY,
        starts_on=TODAY,
        ends_on=TODAY,
    )
    services.measure_approve(measure=measure, by=board_member)
    services.safe_home_referral_start(
        case=case, by=school_leader, pupil=PupilFactory(school=school), done_on=TODAY, notes="Signalen."
    )
    services.police_report_record(case=case, by=school_leader, reported_on=TODAY, reported_by="Directeur")

    case_anonymise(case=case)

    measure.refresh_from_db()
    assert measure.kind == MeasureKind.SUSPENSION and measure.status == MeasureStatus.IN_EFFECT
    assert measure.staff_member is None and measure.reason == "" and measure.anonymised_at is not None
    assert not CasePerson.objects.filter(case=case).exists()
    assert not Escalation.objects.filter(case=case).exclude(contact_by="", notes="", pupil=None).exists()
    assert not Measure.objects.filter(staff_member=tim).exists()
    logged_in(board_member)
    assert "Scheldpartij" not in client.get(reverse("sanctions:staff_person_file", args=[tim.pk])).content.decode()
    page = client.get(reverse("sanctions:measure_list", args=[case.pk]))
    assert page.status_code == 200 and "(geanonimiseerd)" in page.content.decode()


def test_the_retention_purge_of_reports_runs_what_sanctions_registered(school, school_leader):
    case = CaseFactory(school=school)
    tim = UserFactory(roles=[("staff", school)])
    services.measure_record(
        case=case,
        by=school_leader,
        subject_kind=SubjectKind.STAFF,
        staff_member=tim,
        kind=MeasureKind.WARNING,
        reason="Zie melding.",
        decided_on=TODAY,
        board_consulted=False,
    )
    case_anonymise(case=case)
    assert Measure.objects.get(case=case).staff_member is None
    assert not CasePerson.objects.filter(case=case).exists()
