"""Demo data of the sanctions app: on the demo case about a teacher, a conversation and a proposed
suspension that waits for the board; and a teacher's signal under the meldcode about a pupil of that
school, for the aandachtsfunctionaris to take up. Idempotent: a second run changes nothing."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.constants import Role
from accounts.demo import DemoLogin
from accounts.models import Pupil, RoleAssignment, User
from reports.models import Report
from reports.services import submission_digest

from .constants import EscalationKind, MeasureKind, SubjectKind
from .models import Escalation, Measure
from .services import measure_record, meldcode_signal


@transaction.atomic
def seed() -> list[DemoLogin]:
    report = (
        Report.objects.select_related("case", "school")
        .filter(submission_digest=submission_digest("demo-report-2"))
        .first()
    )
    if report is None:
        return []
    school = report.school
    leader = User.objects.filter(role_assignments__role=Role.SCHOOL_LEADER, role_assignments__school=school).first()
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
