"""Measures with board approval, escalations and the close checks, through the services."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.tests.factories import GuardianshipFactory, PupilFactory, UserFactory
from common.refusals import ActionRefused
from notifications.constants import Channel
from notifications.models import Notification
from reports.constants import CaseState, ClosingReason, TimelineKind
from reports.extensions import case_extensions
from reports.models import CasePerson
from reports.services import case_transition
from reports.tests.factories import CaseFactory
from sanctions import access, checks, services
from sanctions.constants import MeasureKind, MeasureStatus, SafeHomeStep, SubjectKind

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 20)


@pytest.fixture
def case(school):
    return CaseFactory(school=school)


@pytest.fixture
def staff_member(school):
    return UserFactory(email="tim@example.nl", first_name="Tim", last_name="Visser", roles=[("staff", school)])


def record(case, by, person, kind=MeasureKind.WARNING, **extra):
    extra.setdefault("board_consulted", False)
    return services.measure_record(
        case=case,
        by=by,
        subject_kind=SubjectKind.STAFF,
        staff_member=person,
        kind=kind,
        reason="Scheldend gereageerd in de ouder-Facebookgroep.",
        decided_on=TODAY,
        **extra,
    )


def suspension(case, by, person):
    return record(case, by, person, MeasureKind.SUSPENSION, starts_on=TODAY, ends_on=TODAY + datetime.timedelta(days=5))


def test_a_light_measure_is_in_effect_at_once_and_links_the_person(case, school_leader, staff_member):
    measure = record(case, school_leader, staff_member)
    assert measure.status == MeasureStatus.IN_EFFECT
    assert CasePerson.objects.filter(case=case, staff_member=staff_member).count() == 1
    record(case, school_leader, staff_member, MeasureKind.CONVERSATION)
    assert CasePerson.objects.filter(case=case, staff_member=staff_member).count() == 1


@pytest.mark.parametrize("kind", [MeasureKind.SUSPENSION, MeasureKind.DISMISSAL, MeasureKind.SUMMARY_DISMISSAL])
def test_a_heavy_staff_measure_is_only_proposed_and_the_board_is_told(
    case, school_leader, board_member, staff_member, kind
):
    measure = record(case, school_leader, staff_member, kind)
    assert measure.status == MeasureStatus.PROPOSED and not measure.is_in_effect
    told = Notification.objects.filter(recipient=board_member, template="sanctions/email/approval_requested")
    assert told.filter(channel=Channel.EMAIL).exists() and told.filter(channel=Channel.IN_APP).exists()
    assert "Facebook" not in told.get(channel=Channel.EMAIL).subject
    assert not Notification.objects.filter(recipient=school_leader).exists()


def test_expulsion_of_a_pupil_is_proposed_too(case, school_leader):
    pupil = PupilFactory(school=case.school)
    measure = services.measure_record(
        case=case,
        by=school_leader,
        subject_kind=SubjectKind.PUPIL,
        pupil=pupil,
        kind=MeasureKind.EXPULSION,
        reason="Herhaald dreigen in de groepsapp.",
        decided_on=TODAY,
    )
    assert measure.status == MeasureStatus.PROPOSED


def test_a_heavy_measure_is_in_effect_only_after_a_different_board_member_approves(
    case, school_leader, board_member, staff_member
):
    measure = suspension(case, school_leader, staff_member)
    measure.refresh_from_db()
    assert not measure.is_in_effect
    approved = services.measure_approve(measure=measure, by=board_member)
    assert approved.is_in_effect and approved.decided_by == board_member
    assert Notification.objects.filter(recipient=school_leader, template="sanctions/email/measure_approved").exists()
    with pytest.raises(ActionRefused, match="al besloten"):
        services.measure_approve(measure=measure, by=UserFactory(roles=[("board", None)]))


def test_refusing_needs_a_reason_and_tells_the_proposer(case, school_leader, board_member, staff_member):
    measure = suspension(case, school_leader, staff_member)
    with pytest.raises(ValidationError, match="waarom"):
        services.measure_refuse(measure=measure, by=board_member, note=" ")
    refused = services.measure_refuse(measure=measure, by=board_member, note="Eerst een berisping.")
    assert refused.status == MeasureStatus.REFUSED and not refused.is_in_effect
    assert Notification.objects.filter(recipient=school_leader, template="sanctions/email/measure_refused").exists()


def test_the_database_refuses_an_approval_by_the_proposer(case, board_member, staff_member):
    from django.db import IntegrityError, transaction

    measure = suspension(case, board_member, staff_member)
    measure.decided_by = board_member
    with pytest.raises(IntegrityError), transaction.atomic():
        measure.save()


@pytest.mark.parametrize(
    ("subject_kind", "kind"),
    [
        (SubjectKind.STAFF, MeasureKind.EXPULSION),
        (SubjectKind.STAFF, MeasureKind.DEVICES_TAKEN),
        (SubjectKind.PUPIL, MeasureKind.REPRIMAND),
        (SubjectKind.PARENT, MeasureKind.DISMISSAL),
    ],
)
def test_a_measure_must_fit_whom_it_concerns(case, school_leader, staff_member, subject_kind, kind):
    pupil = PupilFactory(school=case.school)
    parent = GuardianshipFactory(pupil=pupil).guardian
    with pytest.raises(ValidationError, match="past niet"):
        services.measure_record(
            case=case,
            by=school_leader,
            subject_kind=subject_kind,
            staff_member=staff_member if subject_kind == SubjectKind.STAFF else None,
            pupil=pupil if subject_kind == SubjectKind.PUPIL else None,
            parent=parent if subject_kind == SubjectKind.PARENT else None,
            kind=kind,
            reason="x",
            decided_on=TODAY,
        )


def test_a_leader_chooses_no_one_outside_the_school_nor_the_leadership(case, school_leader, other_school):
    co_leader = UserFactory(roles=[("school_leader", case.school)])
    elsewhere = UserFactory(roles=[("staff", other_school)])
    for person in (school_leader, co_leader, elsewhere):
        with pytest.raises(ActionRefused, match="Kies een persoon"):
            record(case, school_leader, person)


def test_a_leader_cannot_record_in_a_case_of_another_school(other_school, school_leader, staff_member):
    with pytest.raises(ActionRefused, match="behandelt dit dossier niet"):
        record(CaseFactory(school=other_school), school_leader, staff_member)


# Escalations and the close checks -----------------------------------------------------------------


def test_boundary_crossing_needs_the_inspector_call_before_closing(case, school_leader):
    assert checks.escalation_recorded(case) is None
    services.conduct_finding_record(case=case, by=school_leader, is_boundary_crossing=True, reason="Zie melding.")
    refusal = checks.escalation_recorded(case)
    assert refusal and "0900-1113111" in refusal and "Vertrouwensinspecteur" in refusal
    services.inspector_call_record(
        case=case,
        by=school_leader,
        called_on=TODAY,
        called_at=datetime.time(10, 15),
        caller="J. de Vries",
        advice="Gesprek voeren en berisping overwegen.",
    )
    assert checks.escalation_recorded(case) is None


def test_a_not_boundary_crossing_finding_asks_for_no_call(case, school_leader):
    services.conduct_finding_record(case=case, by=school_leader, is_boundary_crossing=False, reason="Onhandig.")
    assert checks.escalation_recorded(case) is None


def test_a_pending_heavy_measure_keeps_the_case_open(case, school_leader, board_member, staff_member):
    measure = suspension(case, school_leader, staff_member)
    assert "wacht nog" in checks.measures_decided(case)
    services.measure_approve(measure=measure, by=board_member)
    assert checks.measures_decided(case) is None


def test_the_meldcode_steps_follow_in_order_and_step_five_decides(case, school_leader):
    pupil = PupilFactory(school=case.school)
    referral = services.safe_home_referral_start(
        case=case, by=school_leader, pupil=pupil, done_on=TODAY, notes="Blauwe plekken, vertelt over ruzie thuis."
    )
    assert "meldcode" in checks.escalation_recorded(case)
    with pytest.raises(ActionRefused, match="Leg eerst stap 2"):
        services.safe_home_step_record(escalation=referral, by=school_leader, step=3, done_on=TODAY, notes="x")
    for step in (SafeHomeStep.CONSULT, SafeHomeStep.TALK):
        services.safe_home_step_record(escalation=referral, by=school_leader, step=step, done_on=TODAY, notes="ok")
    weighed = {"unsafety": "no", "help_feasible": "yes"}
    services.safe_home_step_record(
        escalation=referral, by=school_leader, step=SafeHomeStep.WEIGH, done_on=TODAY, notes="ok", **weighed
    )
    with pytest.raises(ActionRefused, match="Kies het besluit"):
        services.safe_home_step_record(
            escalation=referral, by=school_leader, step=5, done_on=TODAY, notes="x", **weighed
        )
    services.safe_home_step_record(
        escalation=referral,
        by=school_leader,
        step=5,
        done_on=TODAY,
        notes="Melden.",
        reported_to_safe_home=True,
        **weighed,
    )
    assert list(referral.steps.values_list("step", flat=True)) == [1, 2, 3, 4, 5]
    assert checks.escalation_recorded(case) is None
    assert CasePerson.objects.filter(case=case, pupil=pupil).exists()


def test_a_police_report_is_recorded(case, school_leader):
    report = services.police_report_record(
        case=case, by=school_leader, reported_on=timezone.localdate(), reported_by="Directeur", reference="PL1500"
    )
    assert report.kind == "police_report" and report.reference == "PL1500"


# With the case file of reports: timeline and closing ----------------------------------------------


def test_every_measure_decision_and_escalation_is_on_the_case_timeline(case, school_leader, board_member, staff_member):
    from reports.constants import TimelineKind

    measure = suspension(case, school_leader, staff_member)
    services.measure_approve(measure=measure, by=board_member)
    services.police_report_record(case=case, by=school_leader, reported_on=TODAY, reported_by="Directeur")
    entries = list(case.timeline.order_by("pk").values_list("kind", "author", "data"))
    assert [kind for kind, _author, _data in entries] == [
        TimelineKind.MEASURE,
        TimelineKind.MEASURE,
        TimelineKind.STATUS_CHANGE,  # the approved measure: "maatregelen besloten"
        TimelineKind.ESCALATION,
    ]
    assert entries[1][1] == board_member.pk and entries[1][2]["status"] == MeasureStatus.IN_EFFECT
    assert entries[2][1] == board_member.pk and entries[2][2]["to"] == "measures_decided"


def test_closing_a_boundary_crossing_staff_case_without_the_inspector_call_is_refused(case, school_leader):
    from reports.constants import CaseState, ClosingReason
    from reports.services import case_transition

    case_transition(case=case, to_state=CaseState.ACKNOWLEDGED, by=school_leader)
    case_transition(case=case, to_state=CaseState.INVESTIGATING, by=school_leader)
    services.conduct_finding_record(case=case, by=school_leader, is_boundary_crossing=True, reason="B.5 en A.6.")
    with pytest.raises(ActionRefused) as refused:
        case_transition(case=case, to_state=CaseState.CLOSED, by=school_leader, closing_reason=ClosingReason.HANDLED)
    assert "Landelijke Vertrouwensinspecteur" in refused.value.message
    case.refresh_from_db()
    assert case.state == CaseState.INVESTIGATING
    services.inspector_call_record(
        case=case,
        by=school_leader,
        called_on=TODAY,
        called_at=datetime.time(9, 30),
        caller="Directeur",
        advice="Berisping passend.",
    )
    case_transition(case=case, to_state=CaseState.CLOSED, by=school_leader, closing_reason=ClosingReason.HANDLED)
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED


# A decided measure moves the case: reports' case_transition, its table in reports/lifecycle.py -----


@pytest.mark.parametrize(
    "state", [CaseState.NEW, CaseState.ACKNOWLEDGED, CaseState.INVESTIGATING, CaseState.WAITING_FOR_REPORTER]
)
def test_a_light_measure_moves_an_open_case_to_measures_decided(school, school_leader, staff_member, state):
    case = CaseFactory(school=school, state=state)
    record(case, school_leader, staff_member)
    case.refresh_from_db()
    assert case.state == CaseState.MEASURES_DECIDED
    change = case.timeline.get(kind=TimelineKind.STATUS_CHANGE)
    assert change.author == school_leader and change.data == {"from": state, "to": CaseState.MEASURES_DECIDED}
    # A second measure finds the case there already: no second status change.
    record(case, school_leader, staff_member, MeasureKind.CONVERSATION)
    assert case.timeline.filter(kind=TimelineKind.STATUS_CHANGE).count() == 1


def test_a_heavy_measure_moves_the_case_only_once_the_board_approves_it(
    case, school_leader, board_member, staff_member
):
    measure = suspension(case, school_leader, staff_member)
    case.refresh_from_db()
    assert case.state == CaseState.NEW  # proposed is not decided
    services.measure_approve(measure=measure, by=board_member)
    case.refresh_from_db()
    assert case.state == CaseState.MEASURES_DECIDED
    assert case.timeline.get(kind=TimelineKind.STATUS_CHANGE).author == board_member


def test_a_refused_measure_leaves_the_case_where_it_was(case, school_leader, board_member, staff_member):
    measure = suspension(case, school_leader, staff_member)
    services.measure_refuse(measure=measure, by=board_member, note="Te zwaar voor een eerste keer.")
    case.refresh_from_db()
    assert case.state == CaseState.NEW and not case.timeline.filter(kind=TimelineKind.STATUS_CHANGE).exists()


def test_a_board_approval_in_a_case_closed_by_a_merge_leaves_it_closed(
    school, school_leader, board_member, staff_member
):
    from reports.services import case_merge

    source, target = CaseFactory(school=school), CaseFactory(school=school)
    measure = suspension(source, school_leader, staff_member)
    case_merge(source=source, target=target, by=school_leader)
    services.measure_approve(measure=measure, by=board_member)
    source.refresh_from_db()
    assert source.state == CaseState.CLOSED and not source.timeline.filter(kind=TimelineKind.STATUS_CHANGE).exists()
    measure.refresh_from_db()
    assert measure.is_in_effect


# The close checks sanctions registers in reports' registry ---------------------------------------


def test_sanctions_registers_its_close_checks_anonymiser_and_panel():
    assert {extension.name for extension in case_extensions.close_checks} >= {
        "sanctions.escalation_recorded",
        "sanctions.measures_decided",
    }
    assert "sanctions.measures_and_escalations" in {extension.name for extension in case_extensions.anonymisers}
    assert "sanctions/_case_panel.html" in [panel.template_name for panel in case_extensions.panels]


def test_a_check_sanctions_registered_refuses_closing_and_without_it_the_case_closes(
    school, school_leader, staff_member
):
    case = CaseFactory(school=school, state=CaseState.INVESTIGATING)
    suspension(case, school_leader, staff_member)  # waits for the board
    with pytest.raises(ActionRefused, match="wacht nog op het besluit van het bestuur"):
        case_transition(case=case, to_state=CaseState.CLOSED, by=school_leader, closing_reason=ClosingReason.HANDLED)
    case.refresh_from_db()
    assert case.state == CaseState.INVESTIGATING
    with case_extensions.restored_afterwards():
        case_extensions.unregister("sanctions.measures_decided")
        case_transition(case=case, to_state=CaseState.CLOSED, by=school_leader, closing_reason=ClosingReason.HANDLED)
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED
    assert "sanctions.measures_decided" in {check.name for check in case_extensions.close_checks}


def test_nothing_is_recorded_on_a_closed_case(case, school_leader, staff_member):
    from reports.constants import CaseState

    type(case).objects.filter(pk=case.pk).update(state=CaseState.CLOSED, closed_at=timezone.now())
    with pytest.raises(ActionRefused, match="gesloten"):
        record(case, school_leader, staff_member)
    with pytest.raises(ActionRefused, match="gesloten"):
        services.police_report_record(case=case, by=school_leader, reported_on=TODAY, reported_by="Directeur")


def test_a_leader_whose_access_the_board_withdrew_records_nothing(case, school_leader, board_member, staff_member):
    from reports.services import case_access_withdraw

    case_access_withdraw(case=case, user=school_leader, by=board_member, reason="Familie van de medewerker.")
    with pytest.raises(ActionRefused, match="behandelt dit dossier niet"):
        record(case, school_leader, staff_member)


def test_a_proposal_nobody_may_approve_is_said_on_its_page_and_logged(
    client, case, board_member, staff_member, caplog, logged_in
):
    """With one board member, that member's own proposal waits for a second one: the page says so."""
    from django.urls import reverse

    measure = suspension(case, board_member, staff_member)
    assert "has no board member who may decide on it" in caplog.text
    logged_in(board_member)
    page = client.get(reverse("sanctions:measure_detail", args=[case.pk, measure.pk])).content.decode()
    assert 'data-testid="no-approver"' in page

    second = UserFactory(roles=[("board", None)])
    assert list(access.measure_approvers(measure=measure)) == [second]
    page = client.get(reverse("sanctions:measure_detail", args=[case.pk, measure.pk])).content.decode()
    assert 'data-testid="no-approver"' not in page


def test_the_board_member_a_measure_or_its_case_is_about_is_not_asked_to_decide(case, school_leader, board_member):
    named_parent = UserFactory(roles=[("board", None)])  # also a parent in this case
    other = UserFactory(roles=[("board", None)])
    CasePerson.objects.create(case=case, subject_kind=SubjectKind.PARENT, parent=named_parent, added_by=other)
    staff = UserFactory(roles=[("staff", case.school)])
    measure = suspension(case, school_leader, staff)
    assert set(access.measure_approvers(measure=measure)) == {board_member, other}
    asked = Notification.objects.filter(template="sanctions/email/approval_requested", channel=Channel.EMAIL)
    assert set(asked.values_list("recipient", flat=True)) == {board_member.pk, other.pk}


# Toelichting: light measures "in overleg met de directeur-bestuurder" --------------------------------


def test_a_light_measure_says_whether_and_when_the_directeur_bestuurder_was_consulted(
    case, school_leader, staff_member
):
    day = TODAY - datetime.timedelta(days=2)
    measure = record(case, school_leader, staff_member, board_consulted=True, board_consulted_on=day)
    assert measure.board_consulted is True and measure.board_consulted_on == day
    entry = case.timeline.filter(kind=TimelineKind.MEASURE, data__measure=measure.pk).get()
    assert "Overleg met de directeur-bestuurder op" in entry.summary
    assert entry.data["board_consulted"] is True and entry.data["board_consulted_on"] == day.isoformat()
    other = record(case, school_leader, staff_member, MeasureKind.CONVERSATION, board_consulted=False)
    assert other.board_consulted is False and other.board_consulted_on is None
    assert "niet geraadpleegd" in case.timeline.filter(data__measure=other.pk).get().summary


@pytest.mark.parametrize(
    ("consulted", "on", "message"),
    [
        (None, None, "Geef aan of de directeur-bestuurder"),
        (True, None, "Geef de datum van het overleg"),
        (True, timezone.localdate() + datetime.timedelta(days=1), "ligt in de toekomst"),
    ],
)
def test_a_light_measure_without_a_clear_answer_about_the_consultation_is_refused(
    case, school_leader, staff_member, consulted, on, message
):
    with pytest.raises(ValidationError, match=message):
        record(case, school_leader, staff_member, board_consulted=consulted, board_consulted_on=on)
    assert not case.measures.exists()


def test_a_heavy_measure_keeps_the_boards_approval_as_its_record_and_no_consultation(case, school_leader, staff_member):
    measure = record(
        case,
        school_leader,
        staff_member,
        MeasureKind.SUSPENSION,
        starts_on=TODAY,
        ends_on=TODAY,
        board_consulted=True,
        board_consulted_on=TODAY,
    )
    assert measure.board_consulted is None and measure.board_consulted_on is None
    assert measure.awaits_approval
