"""The meldcode as a record per pupil: a teacher's signal, the afwegingskader, close/reopen, reminders."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.constants import SafetyRole
from accounts.models import SafetyRoleHolder
from accounts.tests.factories import PupilFactory, UserFactory
from common.refusals import ActionRefused
from notifications.constants import Channel
from notifications.models import Notification
from sanctions import access, selectors, services
from sanctions.constants import MeldcodeReminderKind, SafeHomeStep
from sanctions.models import MeldcodeReminder

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 11, 23)
THURSDAY = datetime.date(2026, 11, 26)
# Session, user, OTP device, roles, navigation (inbox, register), signals, meldcodes, their steps and
# closings (prefetched), the school register asked once for the handler.
MELDCODE_PAGE_QUERIES = 11


@pytest.fixture
def teacher(school):
    return UserFactory(email="juf@example.nl", roles=[("staff", school)])


@pytest.fixture
def officer(school):
    user = UserFactory(email="aandacht@example.nl", roles=[("staff", school)])
    SafetyRoleHolder.objects.create(
        school=school, role=SafetyRole.MELDCODE_OFFICER, user=user, valid_from=MONDAY - datetime.timedelta(days=60)
    )
    return user


@pytest.fixture
def pupil(school):
    return PupilFactory(school=school)


@pytest.fixture
def signal(teacher, officer, pupil):
    return services.meldcode_signal(by=teacher, pupil=pupil, done_on=MONDAY, notes="Blauwe plekken op de armen.")


def steps_up_to_weighing(meldcode, by, *, unsafety, help_feasible):
    for step in (SafeHomeStep.CONSULT, SafeHomeStep.TALK):
        services.safe_home_step_record(escalation=meldcode, by=by, step=step, done_on=MONDAY, notes="Gedaan.")
    services.safe_home_step_record(
        escalation=meldcode,
        by=by,
        step=SafeHomeStep.WEIGH,
        done_on=MONDAY,
        notes="Gewogen.",
        unsafety=unsafety,
        help_feasible=help_feasible,
    )


def test_a_teacher_signals_the_officer_is_told_without_content_and_the_teacher_reads_no_later_step(
    signal, teacher, officer
):
    mail = Notification.objects.get(recipient=officer, channel=Channel.EMAIL)
    assert "Blauwe plekken" not in mail.subject + str(mail.context)
    assert access.meldcodes_handled_by(user=officer).filter(pk=signal.pk).exists()
    assert not access.meldcodes_handled_by(user=teacher).filter(pk=signal.pk).exists()
    assert not selectors.signals_of(user=teacher).get().taken_up
    services.safe_home_step_record(
        escalation=signal, by=officer, step=SafeHomeStep.CONSULT, done_on=MONDAY, notes="Met IB besproken."
    )
    assert selectors.signals_of(user=teacher).get().taken_up
    with pytest.raises(ActionRefused, match="behandelt deze meldcode niet"):
        services.safe_home_step_record(escalation=signal, by=teacher, step=SafeHomeStep.TALK, done_on=MONDAY, notes="x")


def test_a_teacher_signals_only_about_a_pupil_of_their_own_school(teacher, other_school):
    with pytest.raises(ActionRefused, match="leerling van uw school"):
        services.meldcode_signal(by=teacher, pupil=PupilFactory(school=other_school), done_on=MONDAY, notes="x")


def test_an_expired_officer_no_longer_handles_the_meldcode(signal, officer):
    SafetyRoleHolder.objects.filter(user=officer).update(valid_to=MONDAY - datetime.timedelta(days=1))
    assert not access.meldcodes_handled_by(user=officer).filter(pk=signal.pk).exists()


@pytest.mark.parametrize(
    ("unsafety", "help_feasible"), [("yes", "yes"), ("doubt", "yes"), ("no", "no"), ("no", "doubt")]
)
def test_unsafety_or_doubt_makes_the_melding_required(signal, officer, unsafety, help_feasible):
    steps_up_to_weighing(signal, officer, unsafety=unsafety, help_feasible=help_feasible)
    with pytest.raises(ActionRefused, match="melden bij Veilig Thuis is verplicht"):
        services.safe_home_step_record(
            escalation=signal,
            by=officer,
            step=SafeHomeStep.DECIDE,
            done_on=MONDAY,
            notes="Hulp via de wijkteam.",
            unsafety=unsafety,
            help_feasible=help_feasible,
            help_offered=True,
            help_evaluation_on=MONDAY + datetime.timedelta(days=30),
        )
    record = services.safe_home_step_record(
        escalation=signal,
        by=officer,
        step=SafeHomeStep.DECIDE,
        done_on=MONDAY,
        notes="Gemeld.",
        unsafety=unsafety,
        help_feasible=help_feasible,
        reported_to_safe_home=True,
    )
    assert record.reported_to_safe_home and record.recorded_by == officer and record.recorded_at


def test_without_unsafety_help_alone_is_a_decision_with_an_evaluation_date(signal, officer):
    steps_up_to_weighing(signal, officer, unsafety="no", help_feasible="yes")
    decide = {"escalation": signal, "by": officer, "step": SafeHomeStep.DECIDE, "done_on": MONDAY, "notes": "Hulp."}
    answers = {"unsafety": "no", "help_feasible": "yes"}
    with pytest.raises(ValidationError, match="afwegingskader"):
        services.safe_home_step_record(**decide, help_offered=True, help_evaluation_on=THURSDAY)
    with pytest.raises(ValidationError, match="geëvalueerd"):
        services.safe_home_step_record(**decide, **answers, help_offered=True)
    record = services.safe_home_step_record(**decide, **answers, help_offered=True, help_evaluation_on=THURSDAY)
    assert record.help_evaluation_on == THURSDAY and not record.reported_to_safe_home


def test_step_five_answers_of_doubt_require_the_melding_even_when_step_four_saw_none(signal, officer):
    steps_up_to_weighing(signal, officer, unsafety="no", help_feasible="yes")
    with pytest.raises(ActionRefused, match="verplicht"):
        services.safe_home_step_record(
            escalation=signal,
            by=officer,
            step=SafeHomeStep.DECIDE,
            done_on=MONDAY,
            notes="x",
            unsafety="doubt",
            help_feasible="yes",
            help_offered=True,
            help_evaluation_on=THURSDAY,
        )


def test_a_meldcode_closes_at_any_step_with_a_reason_and_reopens_later(signal, officer, teacher):
    with pytest.raises(ValidationError, match="reden"):
        services.meldcode_close(escalation=signal, by=officer, reason=" ")
    with pytest.raises(ActionRefused):
        services.meldcode_close(escalation=signal, by=teacher, reason="Zelf")
    services.meldcode_close(escalation=signal, by=officer, reason="Signalen bleken een sportblessure.")
    assert access.meldcode_is_closed(signal)
    with pytest.raises(ActionRefused, match="gesloten"):
        services.safe_home_step_record(
            escalation=signal, by=officer, step=SafeHomeStep.CONSULT, done_on=MONDAY, notes="x"
        )
    with pytest.raises(ActionRefused, match="al gesloten"):
        services.meldcode_close(escalation=signal, by=officer, reason="Nog eens")
    services.meldcode_reopen(escalation=signal, by=officer, reason="Nieuwe signalen.")
    assert not access.meldcode_is_closed(signal)
    services.safe_home_step_record(
        escalation=signal, by=officer, step=SafeHomeStep.CONSULT, done_on=MONDAY, notes="Verder."
    )


@pytest.mark.parametrize(
    ("day", "count", "expected"),
    [
        (MONDAY, 5, datetime.date(2026, 11, 30)),  # Monday -> next Monday
        (THURSDAY, 5, datetime.date(2026, 12, 3)),  # Thursday -> Thursday, over the weekend
        (datetime.date(2026, 11, 28), 1, datetime.date(2026, 11, 30)),  # Saturday -> Monday
    ],
)
def test_working_days_skip_weekends(day, count, expected):
    assert access.working_days_after(day, count) == expected


def test_the_veilig_thuis_feedback_reminder_goes_once_five_working_days_after_the_melding(signal, officer):
    steps_up_to_weighing(signal, officer, unsafety="yes", help_feasible="no")
    services.safe_home_step_record(
        escalation=signal,
        by=officer,
        step=SafeHomeStep.DECIDE,
        done_on=THURSDAY,
        notes="Gemeld.",
        unsafety="yes",
        help_feasible="no",
        reported_to_safe_home=True,
    )
    Notification.objects.all().delete()
    assert services.meldcode_reminders_send(datetime.date(2026, 12, 2)) == 0  # Wednesday: 4 working days
    assert services.meldcode_reminders_send(datetime.date(2026, 12, 3)) == 1  # Thursday: the 5th
    assert services.meldcode_reminders_send(datetime.date(2026, 12, 4)) == 0  # once
    reminder = MeldcodeReminder.objects.get()
    assert reminder.kind == MeldcodeReminderKind.SAFE_HOME_FEEDBACK
    mail = Notification.objects.get(recipient=officer, channel=Channel.EMAIL)
    assert "Gemeld" not in str(mail.context) and "terugkoppeling van Veilig Thuis" in mail.subject


def test_the_help_evaluation_reminder_goes_on_its_date_and_not_for_a_closed_meldcode(signal, officer, pupil, teacher):
    steps_up_to_weighing(signal, officer, unsafety="no", help_feasible="yes")
    evaluation = datetime.date(2026, 12, 14)
    services.safe_home_step_record(
        escalation=signal,
        by=officer,
        step=SafeHomeStep.DECIDE,
        done_on=MONDAY,
        notes="Hulp.",
        unsafety="no",
        help_feasible="yes",
        help_offered=True,
        help_evaluation_on=evaluation,
    )
    other = services.meldcode_signal(by=teacher, pupil=pupil, done_on=MONDAY, notes="Ander signaal.")
    steps_up_to_weighing(other, officer, unsafety="no", help_feasible="yes")
    services.safe_home_step_record(
        escalation=other,
        by=officer,
        step=SafeHomeStep.DECIDE,
        done_on=MONDAY,
        notes="Hulp.",
        unsafety="no",
        help_feasible="yes",
        help_offered=True,
        help_evaluation_on=evaluation,
    )
    services.meldcode_close(escalation=other, by=officer, reason="Gezin verhuisd.")
    assert services.meldcode_reminders_send(evaluation - datetime.timedelta(days=1)) == 0
    assert services.meldcode_reminders_send(evaluation) == 1
    assert MeldcodeReminder.objects.get().escalation == signal


def test_the_beat_schedule_runs_the_meldcode_reminders(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "sanctions.tasks.meldcode_reminders_task" in tasks


@pytest.mark.parametrize("count", [2, 20])
def test_the_meldcode_page_query_count_is_pinned(
    client, school, school_leader, count, django_assert_num_queries, logged_in
):
    """Signals of the teacher who is also handler here (the leader signals too): one list each, with
    the steps and the closings prefetched."""
    for _ in range(count):
        meldcode = services.meldcode_signal(
            by=school_leader, pupil=PupilFactory(school=school), done_on=MONDAY, notes="Signalen."
        )
        services.safe_home_step_record(
            escalation=meldcode, by=school_leader, step=SafeHomeStep.CONSULT, done_on=MONDAY, notes="Overleg."
        )
        services.meldcode_close(escalation=meldcode, by=school_leader, reason="Klaar.")
    logged_in(school_leader)
    client.get(reverse("sanctions:meldcode_list"))  # warm the session
    with django_assert_num_queries(MELDCODE_PAGE_QUERIES):
        response = client.get(reverse("sanctions:meldcode_list"))
    page = response.content.decode()
    assert page.count('data-testid="my-signal"') == count
    assert page.count("gesloten") >= count


def test_a_meldcode_without_a_case_is_sealed_with_its_own_key_and_erased_with_it_after_the_pupil_left(
    signal, officer, pupil, teacher, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.utils import timezone

    from common.vault import KeyUnavailable, row_context, unseal
    from retention.models import DeletionLog
    from retention.services import retention_purge
    from sanctions.models import Escalation, SafeHomeStatusChange, SafeHomeStepRecord

    services.meldcode_close(escalation=signal, by=officer, reason="Sluiten-qx7: zorg via de wijkagent.")
    step = SafeHomeStepRecord.objects.get(escalation=signal)
    with connection.cursor() as cursor:
        cursor.execute("SELECT notes FROM sanctions_safehomesteprecord WHERE id = %s", [step.pk])
        (stored,) = cursor.fetchone()
        cursor.execute("SELECT reason FROM sanctions_safehomestatuschange WHERE escalation_id = %s", [signal.pk])
        (reason,) = cursor.fetchone()
    assert signal.data_key and stored.startswith(f"v1.{signal.data_key}.") and "qx7" not in reason
    assert SafeHomeStatusChange.objects.get(escalation=signal).reason == "Sluiten-qx7: zorg via de wijkagent."
    other = PupilFactory(school=pupil.school)
    kept = services.meldcode_signal(by=teacher, pupil=other, done_on=timezone.localdate(), notes="Blijft")

    type(pupil).objects.filter(pk=pupil.pk).update(left_on=timezone.localdate() - datetime.timedelta(days=800))
    with django_capture_on_commit_callbacks(execute=True):
        retention_purge()
    assert not Escalation.objects.filter(pk=signal.pk).exists()
    assert not SafeHomeStepRecord.objects.filter(pk=step.pk).exists()
    assert Escalation.objects.filter(pk=kept.pk).exists()
    assert DeletionLog.objects.filter(kind="meldcode", count=1).exists()
    # What a copy of the database taken before still holds no longer opens: the key is gone.
    with pytest.raises(KeyUnavailable):
        unseal(stored, context=row_context(SafeHomeStepRecord, "notes", step.pk))
