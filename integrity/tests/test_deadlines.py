"""The law's clocks: acknowledge within 7 days, feedback within 3 months; warnings before, alerts after."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from integrity import services
from integrity.models import MisstandReport
from integrity.tasks import misstand_deadlines_task
from integrity.tests.factories import misstand_report, officer
from notifications.models import Notification

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _emails(template: str) -> set[str]:
    return set(Notification.objects.filter(template=template, channel="email").values_list("email", flat=True))


@pytest.fixture
def external(board_member):
    return officer(UserFactory(email="extern@example.nl"), by=board_member, is_external=True)


def test_the_clocks_are_seven_days_and_three_months_from_receipt(external):
    received = timezone.now()
    report = misstand_report(now=received)
    assert report.acknowledge_due_at == received + 7 * DAY
    assert (report.feedback_due_at - received).days in (89, 90, 91, 92)


@pytest.mark.parametrize(
    ("days_after", "acknowledged", "warnings", "alerts"),
    [
        (2, False, 0, 0),  # plenty of time
        (6, False, 1, 0),  # the 7-day clock ends within two days: warning
        (8, False, 0, 1),  # passed: alert (the warning window is over)
        (8, True, 0, 0),  # acknowledged in time: nothing
    ],
)
def test_acknowledgement_warning_and_alert_go_to_the_board_and_the_officer(
    board_member, external, days_after, acknowledged, warnings, alerts
):
    report = misstand_report(now=timezone.now() - days_after * DAY)
    if acknowledged:
        services.misstand_acknowledge(report=report, by=external.user, body="")
    sent = services.misstand_deadlines_check()
    assert sent["acknowledge_warnings"] == warnings
    assert sent["acknowledge_alerts"] == alerts
    expected = {board_member.email, "extern@example.nl"}
    assert _emails("integrity/email/deadline_warning") == (expected if warnings else set())
    assert _emails("integrity/email/deadline_alert") == (expected if alerts else set())


def test_each_notice_goes_once_however_often_beat_runs(board_member, external):
    misstand_report(now=timezone.now() - 8 * DAY)
    misstand_deadlines_task.delay()
    misstand_deadlines_task.delay()
    assert Notification.objects.filter(template="integrity/email/deadline_alert", channel="email").count() == 2


def test_the_feedback_clock_warns_two_weeks_ahead_and_alerts_after(board_member, external):
    now = timezone.now()
    report = misstand_report(now=now - 80 * DAY)
    services.misstand_acknowledge(report=report, by=external.user, body="")
    assert services.misstand_deadlines_check(now=now)["feedback_warnings"] == 1
    assert services.misstand_deadlines_check(now=now + 20 * DAY)["feedback_alerts"] == 1
    services.misstand_message(report=report, by=external.user, body="Terugkoppeling", is_feedback=True)
    MisstandReport.objects.filter(pk=report.pk).update(feedback_alerted_at=None)
    assert services.misstand_deadlines_check(now=now + 20 * DAY)["feedback_alerts"] == 0


def test_the_e_mails_carry_no_content_and_a_named_board_member_is_not_told(board_member, external):
    other_board = UserFactory(email="bestuur2@example.nl", roles=[("board", None)])
    misstand_report(now=timezone.now() - 8 * DAY, named=[other_board], description="Zeer geheime inhoud")
    services.misstand_deadlines_check()
    rows = Notification.objects.filter(template="integrity/email/deadline_alert", channel="email")
    assert {row.email for row in rows} == {board_member.email, "extern@example.nl"}
    for row in rows:
        assert "geheime" not in str(row.context) and "geheime" not in row.subject


def test_the_beat_schedule_runs_the_task(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "integrity.tasks.misstand_deadlines_task" in tasks
