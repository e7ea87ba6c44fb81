"""Deadlines (reminders before, alerts after, each once) and retention (dry run, real run, legal hold)."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from common.vault import data_key_exists
from notifications.models import Notification
from reports.constants import CaseState, ClosingReason, MessageKind, TimelineKind
from reports.models import Case, Evidence, Report, ReportMessage, TimelineEntry
from reports.selectors import overdue_condition
from reports.services import (
    case_deadlines_check,
    case_retention_purge,
    case_timeline_add,
    report_message_to_reporter,
    report_reply_by_reporter,
)
from reports.tasks import case_deadlines_task
from reports.tests.factories import ReportFactory
from retention.tasks import retention_purge_task

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _emails(template: str) -> list[str]:
    return list(
        Notification.objects.filter(template=template, channel="email").order_by("pk").values_list("email", flat=True)
    )


def test_acknowledge_reminder_before_and_alert_after_each_once(school, school_leader, board_member):
    now = timezone.now()
    report = ReportFactory(school=school, case__created_at=now - 6 * DAY)  # due in one day
    sent = case_deadlines_check(now=now)
    assert sent["acknowledge_reminders"] == 1 and sent["acknowledge_alerts"] == 0
    assert _emails("reports/email/case_deadline_reminder") == [school_leader.email]
    assert case_deadlines_check(now=now)["acknowledge_reminders"] == 0  # once
    later = now + 2 * DAY
    assert case_deadlines_check(now=later)["acknowledge_alerts"] == 1
    assert sorted(_emails("reports/email/case_deadline_alert")) == sorted([school_leader.email, board_member.email])
    assert case_deadlines_check(now=later)["acknowledge_alerts"] == 0
    mail = Notification.objects.filter(template="reports/email/case_deadline_alert").first()
    assert report.description not in mail.subject and report.case.number in mail.subject


def test_an_acknowledged_case_gets_no_acknowledge_alert_but_a_feedback_one(school, school_leader, board_member):
    now = timezone.now()
    report = ReportFactory(school=school, case__created_at=now - 100 * DAY)
    Case.objects.filter(pk=report.case.pk).update(state=CaseState.INVESTIGATING, handler=school_leader)
    sent = case_deadlines_check(now=now)
    assert sent == {"acknowledge_reminders": 0, "acknowledge_alerts": 0, "feedback_reminders": 0, "feedback_alerts": 1}


# What the handler did before the 3-month feedback deadline -> does the reminder still go out?
# Only feedback stops the clock (EU whistle-blower directive art. 9(1)(f)); a question, or a case
# waiting for the reporter's answer, does not.
FEEDBACK_CLOCK = [
    ("a question", [(MessageKind.MESSAGE, "Wanneer was dit precies?")], CaseState.INVESTIGATING, True),
    (
        "a question, then waiting for the reporter",
        [(MessageKind.MESSAGE, "Kunt u een schermafbeelding sturen?")],
        CaseState.WAITING_FOR_REPORTER,
        True,
    ),
    ("nothing yet", [], CaseState.INVESTIGATING, True),
    ("feedback", [(MessageKind.FEEDBACK, "We hebben met de klas gesproken.")], CaseState.INVESTIGATING, False),
    (
        "a question, then feedback",
        [(MessageKind.MESSAGE, "Wanneer was dit?"), (MessageKind.FEEDBACK, "De berichten zijn verwijderd.")],
        CaseState.INVESTIGATING,
        False,
    ),
]


@pytest.mark.parametrize(
    ("messages", "state", "reminded"), [row[1:] for row in FEEDBACK_CLOCK], ids=[row[0] for row in FEEDBACK_CLOCK]
)
def test_only_feedback_stops_the_feedback_reminder(school, school_leader, messages, state, reminded):
    now = timezone.now()
    report = ReportFactory(school=school, case__created_at=now - 80 * DAY)
    Case.objects.filter(pk=report.case.pk).update(state=state, handler=school_leader)
    for kind, body in messages:
        report_message_to_reporter(report=report, handler=school_leader, body=body, kind=kind)
    assert case_deadlines_check(now=now)["feedback_reminders"] == (1 if reminded else 0)
    assert _emails("reports/email/case_deadline_reminder") == ([school_leader.email] if reminded else [])


def test_after_only_a_question_the_feedback_alert_still_fires_and_the_case_is_overdue(
    school, school_leader, board_member
):
    now = timezone.now()
    report = ReportFactory(school=school, case__created_at=now - 100 * DAY)
    Case.objects.filter(pk=report.case.pk).update(state=CaseState.WAITING_FOR_REPORTER, handler=school_leader)
    report_message_to_reporter(report=report, handler=school_leader, body="Wanneer was dit?")
    assert case_deadlines_check(now=now)["feedback_alerts"] == 1
    report.case.refresh_from_db()
    assert report.case.overdue_reasons(now) == ["geen terugkoppeling binnen 3 maanden"]
    assert Case.objects.filter(overdue_condition(now)).get() == report.case


def test_a_case_about_leadership_reminds_the_board_not_the_leader(school, school_leader, board_member):
    now = timezone.now()
    ReportFactory(school=school, about_leadership=True, case__created_at=now - 6 * DAY)
    case_deadlines_task.delay()
    assert _emails("reports/email/case_deadline_reminder") == [board_member.email]


def test_the_beat_schedule_runs_both_tasks(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"reports.tasks.case_deadlines_task", "retention.tasks.retention_purge_task"} <= tasks


# Retention ---------------------------------------------------------------------------------------


@pytest.fixture
def closed_cases(school, school_leader, settings, tmp_path):
    """Closed just before, exactly at and just after the boundary, and one on legal hold."""
    settings.EVIDENCE_ROOT = str(tmp_path)
    settings.CASE_RETENTION_DAYS = 730
    now = timezone.now()
    boundary = now - 730 * DAY
    made = {}
    for name, closed_at, hold in (
        ("past", boundary - DAY, False),
        ("at", boundary + datetime.timedelta(minutes=1), False),
        ("recent", now - 30 * DAY, False),
        ("hold", boundary - 10 * DAY, True),
    ):
        report = ReportFactory(school=school, involved_names="Noor de Vries", reporter_phone="0612345678")
        report_reply_by_reporter(report=report, body="Het gebeurt weer.")
        case_timeline_add(
            case=report.case,
            kind=TimelineKind.CONVERSATION,
            author=school_leader,
            summary="Noor",
            with_whom="Moeder",
        )
        (tmp_path / f"file-{name}").write_bytes(b"x")
        Evidence.objects.create(
            report=report,
            kind="text",
            file_name=f"melding-{name}-1.txt",
            stored_name=f"file-{name}",
            content_type="text/plain",
            size=1,
            sha256="0" * 64,
        )
        Case.objects.filter(pk=report.case.pk).update(
            state=CaseState.CLOSED, closed_at=closed_at, closing_reason=ClosingReason.HANDLED, is_on_legal_hold=hold
        )
        made[name] = report
    return now, made, tmp_path


def test_the_dry_run_lists_only_the_case_past_the_boundary_and_changes_nothing(closed_cases):
    now, made, tmp_path = closed_cases
    rows = case_retention_purge(now=now, dry_run=True)
    assert [row["case"] for row in rows] == [made["past"].case.number]
    assert rows[0]["files"] == 1 and rows[0]["messages"] == 1 and rows[0]["reports"] == 1
    assert [Report.objects.get(pk=report.pk).involved_names for report in made.values()] == ["Noor de Vries"] * 4
    assert (tmp_path / "file-past").exists()


def test_the_real_run_anonymises_past_the_boundary_keeps_statistics_and_respects_legal_hold(
    closed_cases, caplog, django_capture_on_commit_callbacks
):
    now, made, tmp_path = closed_cases
    with caplog.at_level("INFO", logger="reports.services"), django_capture_on_commit_callbacks(execute=True):
        rows = case_retention_purge(now=now)  # files are removed once the transaction commits
    assert [row["case"] for row in rows] == [made["past"].case.number]
    assert "anonymised" in caplog.text
    past = Report.objects.get(pk=made["past"].pk)
    assert (
        past.description == "" and past.involved_names == "" and past.reporter_name == "" and past.reporter_phone == ""
    )
    assert past.category == made["past"].category and past.platform and past.happened_on  # statistics kept
    assert not Evidence.objects.filter(report=past).exists() and not (tmp_path / "file-past").exists()
    assert ReportMessage.objects.get(report=past).body == ""
    assert past.receipt_code_digest == f"anonymised-{past.pk}"  # the receipt code opens nothing any more
    assert not TimelineEntry.objects.filter(case=past.case).exclude(summary="").exists()
    assert TimelineEntry.objects.filter(case=past.case, kind=TimelineKind.RETENTION).exists()
    assert Case.objects.get(pk=past.case.pk).anonymised_at is not None
    # Crypto-shredding: the case's data key is gone, the others' keys are not (common/vault.py).
    assert not data_key_exists(past.case.data_key)
    assert all(data_key_exists(made[kept].case.data_key) for kept in ("at", "recent", "hold"))
    for kept in ("at", "recent", "hold"):
        report = Report.objects.get(pk=made[kept].pk)
        assert report.involved_names == "Noor de Vries" and (tmp_path / f"file-{kept}").exists()
    assert case_retention_purge(now=now) == []  # idempotent
    # A day later the case at the boundary is due; the one on hold never is.
    later = [row["case"] for row in case_retention_purge(now=now + 2 * DAY)]
    assert later == [made["at"].case.number]


def test_the_management_command_dry_run_and_the_beat_task(closed_cases, capsys):
    _now, made, _files = closed_cases
    call_command("case_retention", "--dry-run")
    out = capsys.readouterr().out
    assert made["past"].case.number in out and "Proefdraai: 1 dossier zou worden geanonimiseerd." in out
    assert "1 melding, 1 bericht, 1 bestand" in out
    assert Report.objects.get(pk=made["past"].pk).involved_names == "Noor de Vries"
    assert retention_purge_task.delay().get() == {"case": 1}
    assert Report.objects.get(pk=made["past"].pk).involved_names == ""
