"""The triage state machine: every allowed and every refused transition, through the one service."""

from __future__ import annotations

import itertools

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from common.refusals import ActionRefused
from reports import lifecycle
from reports.constants import CaseState, ClosingReason, TimelineKind
from reports.models import TimelineEntry
from reports.services import case_measure_in_effect, case_open, case_transition
from reports.tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

S = CaseState
ALLOWED = {
    (S.NEW, S.ACKNOWLEDGED),
    (S.ACKNOWLEDGED, S.INVESTIGATING),
    # A question to the reporter, in one step from wherever the handler asks it.
    (S.NEW, S.WAITING_FOR_REPORTER),
    (S.ACKNOWLEDGED, S.WAITING_FOR_REPORTER),
    (S.INVESTIGATING, S.WAITING_FOR_REPORTER),
    (S.WAITING_FOR_REPORTER, S.INVESTIGATING),
    (S.INVESTIGATING, S.MEASURES_DECIDED),
    (S.WAITING_FOR_REPORTER, S.MEASURES_DECIDED),
    (S.ACKNOWLEDGED, S.CLOSED),
    (S.INVESTIGATING, S.CLOSED),
    (S.WAITING_FOR_REPORTER, S.CLOSED),
    (S.MEASURES_DECIDED, S.CLOSED),
    (S.CLOSED, S.INVESTIGATING),
}


# A measure taking effect (sanctions) moves an open case to "measures decided"; a closed one stays.
MOVED_BY_A_MEASURE = {
    (S.NEW, S.MEASURES_DECIDED),
    (S.ACKNOWLEDGED, S.MEASURES_DECIDED),
    (S.INVESTIGATING, S.MEASURES_DECIDED),
    (S.WAITING_FOR_REPORTER, S.MEASURES_DECIDED),
}


def test_the_table_is_what_the_design_describes():
    def moves_of(actor):
        return {move for move, actors in lifecycle.TRANSITIONS.items() if actor in actors}

    assert moves_of(lifecycle.HANDLER) == ALLOWED
    # The first opening acknowledges; the reporter's answer ends the wait.
    assert moves_of(lifecycle.SYSTEM) == {(S.NEW, S.ACKNOWLEDGED), (S.WAITING_FOR_REPORTER, S.INVESTIGATING)}
    assert moves_of(lifecycle.MEASURE) == MOVED_BY_A_MEASURE
    assert set(lifecycle.TRANSITIONS) == ALLOWED | MOVED_BY_A_MEASURE


def _case_in(school, state):
    closed = {"closed_at": timezone.now(), "closing_reason": ClosingReason.HANDLED} if state == S.CLOSED else {}
    return CaseFactory(school=school, state=state, **closed)


@pytest.mark.parametrize(("from_state", "to_state"), list(itertools.permutations(S.values, 2)))
def test_every_transition_is_allowed_or_refused_by_the_table(school, school_leader, from_state, to_state):
    case = _case_in(school, from_state)
    call = {"case": case, "to_state": to_state, "by": school_leader, "reason": "Nieuwe informatie van de melder."}
    if to_state == S.CLOSED:
        call["closing_reason"] = ClosingReason.UNFOUNDED
    if (from_state, to_state) in ALLOWED:
        case_transition(**call)
        case.refresh_from_db()
        assert case.state == to_state
        entry = TimelineEntry.objects.get(case=case, kind=TimelineKind.STATUS_CHANGE)
        assert entry.data["from"] == from_state and entry.data["to"] == to_state and entry.author == school_leader
    else:
        with pytest.raises(ActionRefused, match="kan niet"):
            case_transition(**call)
        case.refresh_from_db()
        assert case.state == from_state
        assert not TimelineEntry.objects.filter(case=case, kind=TimelineKind.STATUS_CHANGE).exists()


def test_closing_needs_a_closing_reason_and_reopening_a_reason(school, school_leader):
    case = _case_in(school, S.INVESTIGATING)
    with pytest.raises(ValidationError) as missing:
        case_transition(case=case, to_state=S.CLOSED, by=school_leader)
    assert list(missing.value.error_dict) == ["closing_reason"]  # the form's field
    case_transition(case=case, to_state=S.CLOSED, by=school_leader, closing_reason=ClosingReason.REFERRED)
    case.refresh_from_db()
    assert case.closing_reason == ClosingReason.REFERRED and case.closed_at
    with pytest.raises(ValidationError) as missing:
        case_transition(case=case, to_state=S.INVESTIGATING, by=school_leader, reason="  ")
    assert list(missing.value.error_dict) == ["reason"]
    case_transition(case=case, to_state=S.INVESTIGATING, by=school_leader, reason="Nieuwe melding.")
    case.refresh_from_db()
    assert case.state == S.INVESTIGATING and case.closed_at is None and case.closing_reason == ""


def test_someone_who_may_not_see_the_case_cannot_move_it(school, other_school):
    from accounts.tests.factories import UserFactory

    stranger = UserFactory(roles=[("school_leader", other_school)])
    case = _case_in(school, S.ACKNOWLEDGED)
    with pytest.raises(ActionRefused, match="niet behandelen"):
        case_transition(case=case, to_state=S.INVESTIGATING, by=stranger)


def test_the_first_opening_acknowledges_stamps_and_assigns_later_openings_do_not(school, school_leader, board_member):
    case = _case_in(school, S.NEW)
    case_open(case=case, viewer=school_leader)
    case.refresh_from_db()
    assert case.state == S.ACKNOWLEDGED and case.acknowledged_by == school_leader and case.acknowledged_at
    assert case.handler == school_leader
    stamped = case.acknowledged_at
    case_open(case=case, viewer=board_member)
    case.refresh_from_db()
    assert case.acknowledged_at == stamped and case.acknowledged_by == school_leader and case.handler == school_leader
    kinds = list(TimelineEntry.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds == [TimelineKind.VIEW, TimelineKind.STATUS_CHANGE, TimelineKind.VIEW]


@pytest.mark.parametrize("from_state", S.values)
def test_a_measure_taking_effect_moves_an_open_case_to_measures_decided_once(school, school_leader, from_state):
    case = _case_in(school, from_state)
    case_measure_in_effect(case=case, by=school_leader)
    case.refresh_from_db()
    entries = TimelineEntry.objects.filter(case=case, kind=TimelineKind.STATUS_CHANGE)
    if (from_state, S.MEASURES_DECIDED) in MOVED_BY_A_MEASURE:
        assert case.state == S.MEASURES_DECIDED
        assert [(e.data["from"], e.data["to"], e.author) for e in entries] == [
            (from_state, S.MEASURES_DECIDED, school_leader)
        ]
    else:  # already there, or closed: nothing moves, nothing is written
        assert case.state == from_state and not entries.exists()


def test_a_measure_in_a_new_case_takes_it_in_hand(school, school_leader):
    import datetime

    case = CaseFactory(school=school, created_at=timezone.now() - datetime.timedelta(days=10))
    assert case.overdue_reasons() == ["niet op tijd in behandeling genomen"]
    case_measure_in_effect(case=case, by=school_leader)
    case.refresh_from_db()
    assert case.state == S.MEASURES_DECIDED and case.acknowledged_by == school_leader and case.acknowledged_at
    assert case.handler == school_leader and case.overdue_reasons() == []


def test_a_measure_by_someone_who_may_not_see_the_case_moves_nothing(school, other_school):
    from accounts.tests.factories import UserFactory

    case = _case_in(school, S.INVESTIGATING)
    with pytest.raises(ActionRefused, match="niet behandelen"):
        case_measure_in_effect(case=case, by=UserFactory(roles=[("school_leader", other_school)]))
    case.refresh_from_db()
    assert case.state == S.INVESTIGATING


# A question to the reporter (services.report_message_to_reporter with await_reply) ---------------


@pytest.mark.parametrize("from_state", [S.NEW, S.ACKNOWLEDGED, S.INVESTIGATING])
def test_asking_the_reporter_puts_the_case_on_waiting_in_one_step(school, school_leader, from_state):
    from reports.constants import MessageKind
    from reports.services import report_message_to_reporter
    from reports.tests.factories import ReportFactory

    report = ReportFactory(case=_case_in(school, from_state), school=school)
    feedback_due = report.case.feedback_due_at
    report_message_to_reporter(
        report=report, handler=school_leader, body="Op welke dag was dit?", kind=MessageKind.MESSAGE, await_reply=True
    )
    case = report.case
    case.refresh_from_db()
    assert case.state == S.WAITING_FOR_REPORTER
    moves = [(e.data["from"], e.data["to"], e.author) for e in case.timeline.filter(kind=TimelineKind.STATUS_CHANGE)]
    assert moves == [(from_state, S.WAITING_FOR_REPORTER, school_leader)]
    kinds = list(case.timeline.exclude(kind=TimelineKind.VIEW).values_list("kind", flat=True))
    assert kinds == [TimelineKind.MESSAGE, TimelineKind.STATUS_CHANGE]  # the question, then the wait
    # A question is no feedback: the 3-month clock runs on; a new case is taken in hand by asking.
    assert case.feedback_given_at is None and case.feedback_due_at == feedback_due
    if from_state == S.NEW:
        assert case.acknowledged_at is not None and case.overdue_reasons() == []
        assert case.acknowledged_by == school_leader and case.handler == school_leader


def test_the_reporters_answer_ends_the_wait_and_a_question_while_waiting_adds_no_move(school, school_leader):
    from reports.services import report_message_to_reporter, report_reply_by_reporter
    from reports.tests.factories import ReportFactory

    report = ReportFactory(case=_case_in(school, S.INVESTIGATING), school=school)
    report_message_to_reporter(report=report, handler=school_leader, body="Wanneer?", await_reply=True)
    report_message_to_reporter(report=report, handler=school_leader, body="En waar?", await_reply=True)
    report_reply_by_reporter(report=report, body="Vorige week dinsdag, op Snapchat.")
    report.case.refresh_from_db()
    assert report.case.state == S.INVESTIGATING
    moves = [
        (e.data["from"], e.data["to"], e.author)
        for e in report.case.timeline.filter(kind=TimelineKind.STATUS_CHANGE).order_by("pk")
    ]
    assert moves == [
        (S.INVESTIGATING, S.WAITING_FOR_REPORTER, school_leader),
        (S.WAITING_FOR_REPORTER, S.INVESTIGATING, None),
    ]
    # An answer without a question moves nothing.
    report_reply_by_reporter(report=report, body="Nog iets.")
    assert report.case.timeline.filter(kind=TimelineKind.STATUS_CHANGE).count() == 2


@pytest.mark.parametrize("from_state", [S.MEASURES_DECIDED, S.CLOSED])
def test_a_question_cannot_make_a_decided_or_closed_case_wait_and_then_nothing_is_sent(
    school, school_leader, from_state
):
    from reports.models import ReportMessage
    from reports.services import report_message_to_reporter
    from reports.tests.factories import ReportFactory

    report = ReportFactory(case=_case_in(school, from_state), school=school)
    with pytest.raises(ActionRefused, match="kan niet"):
        report_message_to_reporter(report=report, handler=school_leader, body="Wanneer?", await_reply=True)
    assert not ReportMessage.objects.exists()
    report.case.refresh_from_db()
    assert report.case.state == from_state
