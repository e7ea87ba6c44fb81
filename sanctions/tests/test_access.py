"""The rules of sanctions/access.py as tables: a new case is a new row."""

from __future__ import annotations

import datetime

import pytest

from accounts.tests.factories import PupilFactory, UserFactory
from common.refusals import ActionRefused
from reports.models import CasePerson
from reports.tests.factories import CaseFactory
from sanctions import access, services
from sanctions.constants import MeasureKind, MeasureStatus, SafeHomeStep, SubjectKind
from sanctions.models import Measure

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 20)


# Who decides a heavy measure -------------------------------------------------------------------------

# (who decides on a suspension a school leader proposed, the refusal's words or None: allowed)
WHO_DECIDES_A_HEAVY_MEASURE = [
    ("a board member", None),
    ("a board member, the measure decided already", "al besloten"),
    ("the board member who proposed it", "zelf voorgesteld"),
    ("a board member the case is about", "over uzelf"),
    ("the leader who proposed it", "Alleen een lid van het bestuur"),
    ("another leader of the school", "Alleen een lid van het bestuur"),
    ("a teacher", "Alleen een lid van het bestuur"),
]


@pytest.mark.parametrize(("who", "refusal"), WHO_DECIDES_A_HEAVY_MEASURE)
def test_who_may_decide_a_heavy_measure(school, school_leader, board_member, teacher, who, refusal):
    case = CaseFactory(school=school)
    staff = UserFactory(roles=[("staff", school)])
    proposer = board_member if who == "the board member who proposed it" else school_leader
    measure = services.measure_record(
        case=case,
        by=proposer,
        subject_kind=SubjectKind.STAFF,
        staff_member=staff,
        kind=MeasureKind.SUSPENSION,
        reason="Dreigende berichten aan een leerling.",
        decided_on=TODAY,
    )
    decider = {
        "a board member": UserFactory(roles=[("board", None)]),
        "a board member, the measure decided already": UserFactory(roles=[("board", None)]),
        "the board member who proposed it": board_member,
        "a board member the case is about": UserFactory(roles=[("board", None)]),
        "the leader who proposed it": school_leader,
        "another leader of the school": UserFactory(roles=[("school_leader", school)]),
        "a teacher": teacher,
    }[who]
    if who == "a board member the case is about":
        CasePerson.objects.create(case=case, subject_kind=SubjectKind.PARENT, parent=decider, added_by=school_leader)
    if who == "a board member, the measure decided already":
        Measure.objects.filter(pk=measure.pk).update(status=MeasureStatus.REFUSED)
        measure.refresh_from_db()
    assert access.may_decide_measure(user=decider, measure=measure) is (refusal is None)
    if measure.awaits_approval:  # whom the board is asked: the same rule, as a list
        assert (decider in access.measure_approvers(measure=measure)) is (refusal is None)
    if refusal is None:
        assert services.measure_approve(measure=measure, by=decider).is_in_effect
    else:
        with pytest.raises(ActionRefused, match=refusal):
            services.measure_approve(measure=measure, by=decider)
        with pytest.raises(ActionRefused, match=refusal):
            services.measure_refuse(measure=measure, by=decider, note="Te zwaar.")
        measure.refresh_from_db()
        assert measure.decided_by is None


# The meldcode's order -------------------------------------------------------------------------------

# (steps recorded before, the step recorded now, the refusal's words or None: allowed)
MELDCODE_ORDER = [
    ([1], SafeHomeStep.CONSULT, None),
    ([1], SafeHomeStep.TALK, "Leg eerst stap 2"),
    ([1], SafeHomeStep.MAP_SIGNALS, "Leg eerst stap 2"),
    ([1, 2], SafeHomeStep.TALK, None),
    ([1, 2, 3], SafeHomeStep.DECIDE, "Leg eerst stap 4"),
    ([1, 2, 3, 4], SafeHomeStep.DECIDE, None),
    ([1, 2, 3, 4, 5], SafeHomeStep.DECIDE, "Alle stappen"),
]


# The afwegingskader at steps 4 and 5 saw no unsafety: help alone, with its evaluation date, is a decision.
NO_UNSAFETY_HELP = {
    "unsafety": "no",
    "help_feasible": "yes",
    "help_offered": True,
    "help_evaluation_on": TODAY + datetime.timedelta(days=30),
}


@pytest.mark.parametrize(("done", "step", "refusal"), MELDCODE_ORDER)
def test_the_meldcode_steps_come_in_order(school, school_leader, done, step, refusal):
    case = CaseFactory(school=school)
    referral = services.safe_home_referral_start(
        case=case, by=school_leader, pupil=PupilFactory(school=school), done_on=TODAY, notes="Signalen."
    )
    for earlier in done[1:]:
        services.safe_home_step_record(
            escalation=referral, by=school_leader, step=earlier, done_on=TODAY, notes="Gedaan.", **NO_UNSAFETY_HELP
        )
    expected_next = next((s for s in SafeHomeStep if s.value not in done), None)
    assert access.safe_home_next_step(referral) == expected_next  # the step page offers this one
    record = {"escalation": referral, "by": school_leader, "step": step, "done_on": TODAY, "notes": "Gedaan."}
    if refusal is None:
        assert services.safe_home_step_record(**record, **NO_UNSAFETY_HELP).step == step
    else:
        with pytest.raises(ActionRefused, match=refusal):
            services.safe_home_step_record(**record, **NO_UNSAFETY_HELP)


def test_a_step_of_the_meldcode_is_refused_on_another_escalation(school, school_leader):
    case = CaseFactory(school=school)
    police = services.police_report_record(case=case, by=school_leader, reported_on=TODAY, reported_by="Directeur")
    with pytest.raises(ActionRefused, match="geen meldcode-traject"):
        services.safe_home_step_record(
            escalation=police, by=school_leader, step=SafeHomeStep.CONSULT, done_on=TODAY, notes="x"
        )
