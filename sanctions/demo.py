"""Demo data of the sanctions app: on the demo case about a teacher, a conversation and a proposed
suspension that waits for the board; the demo school's evaluatie of this school year (so the yearly
overview shows one); and, when SERIOUS_INCIDENT_TASKS is on, the bullying case flagged as an ernstig
incident for the board's task; and a teacher's signal under the meldcode about a pupil of that
school, for the aandachtsfunctionaris to take up. Idempotent: a second run changes nothing."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.constants import Role
from accounts.demo import DemoLogin
from accounts.models import Pupil, RoleAssignment, User
from reports.models import Report
from reports.services import submission_digest

from .constants import EscalationKind, MeasureKind, SeriousIncidentKind, SubjectKind
from .models import Escalation, Measure, SafetyEvaluation, SeriousIncident
from .overview import school_year_of
from .services import measure_record, meldcode_signal, safety_evaluation_record, serious_incident_flag


def _leader_of(school) -> User | None:
    return User.objects.filter(role_assignments__role=Role.SCHOOL_LEADER, role_assignments__school=school).first()


def _seed_evaluation_and_serious_incident() -> None:
    report = (
        Report.objects.select_related("case", "school")
        .filter(submission_digest=submission_digest("demo-report-1"))
        .first()
    )
    if report is None or (leader := _leader_of(report.school)) is None:
        return
    today = timezone.localdate()
    year = school_year_of(today)
    if not SafetyEvaluation.objects.filter(school=report.school, school_year=year).exists():
        safety_evaluation_record(
            school=report.school,
            year=year,
            by=leader,
            monitor_instrument="Veiligheidsmonitor van het leerlingvolgsysteem (groep 5-8)",
            monitor_held_on=max(datetime.date(year, 8, 1), today - datetime.timedelta(days=30)),
            monitor_delivered=True,
            conclusions="Leerlingen voelen zich op school veilig; online pesten in groep 8 neemt toe.",
            measures_taken="Lessen mediawijsheid in groep 7 en 8; afspraken over de klassenapp met de ouders.",
        )
    if settings.SERIOUS_INCIDENT_TASKS and not SeriousIncident.objects.filter(case=report.case).exists():
        serious_incident_flag(case=report.case, by=leader, kinds=[SeriousIncidentKind.GROSS_BULLYING])


@transaction.atomic
def seed() -> list[DemoLogin]:
    _seed_evaluation_and_serious_incident()
    report = (
        Report.objects.select_related("case", "school")
        .filter(submission_digest=submission_digest("demo-report-2"))
        .first()
    )
    if report is None:
        return []
    school = report.school
    leader = _leader_of(school)
    leaders = RoleAssignment.objects.filter(school=school, role=Role.SCHOOL_LEADER).values("user_id")
    teacher = (
        User.objects.filter(role_assignments__role=Role.STAFF, role_assignments__school=school)
        .exclude(pk__in=leaders)
        .first()
    )
    if leader is None or teacher is None:
        return []
    today = timezone.localdate()
    _seed_meldcode(teacher=teacher, pupil=Pupil.objects.filter(school=school).order_by("pk").first(), today=today)
    if Measure.objects.filter(case=report.case).exists():
        return []
    common = {"case": report.case, "by": leader, "subject_kind": SubjectKind.STAFF, "staff_member": teacher}
    measure_record(
        **common,
        kind=MeasureKind.CONVERSATION,
        reason="Gesprek over reageren op ouders in de Facebookgroep (protocol B.5).",
        decided_on=today,
        board_consulted=True,
        board_consulted_on=today - datetime.timedelta(days=1),
    )
    measure_record(
        **common,
        kind=MeasureKind.SUSPENSION,
        reason="Na het gesprek opnieuw fel gereageerd; voorstel: schorsing van een week.",
        decided_on=today,
        starts_on=today + datetime.timedelta(days=3),
        ends_on=today + datetime.timedelta(days=9),
    )
    return []


def _seed_meldcode(*, teacher: User, pupil: Pupil | None, today: datetime.date) -> None:
    """A teacher's signal (meldcode step 1) without a case, once."""
    if pupil is None:
        return
    signalled = Escalation.objects.filter(
        kind=EscalationKind.SAFE_HOME_REFERRAL, case__isnull=True, pupil__school_id=pupil.school_id
    )
    if signalled.exists():
        return
    meldcode_signal(
        by=teacher,
        pupil=pupil,
        done_on=today,
        notes="Komt de laatste weken vaak zonder ontbijt en met vuile kleren; schrikt als een volwassene "
        "de stem verheft.",
    )
