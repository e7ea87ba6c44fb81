"""The clocks with real parts: Redis and a Celery worker run the beat task twice; the board's alert
goes out once, by e-mail, without the report's content."""

from __future__ import annotations

import datetime
import time

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from integrity.models import MisstandReport
from integrity.tasks import misstand_deadlines_task
from integrity.tests.factories import misstand_report, officer
from notifications.constants import Channel, Status
from notifications.models import Notification
from testing.services import wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_the_worker_alerts_the_board_once_when_the_seven_days_have_passed(
    board_member, worker_redis_url, celery_worker_on, tmp_path
):
    officer(UserFactory(email="extern@example.nl"), by=board_member, is_external=True)
    report = misstand_report(
        now=timezone.now() - datetime.timedelta(days=8), description="Vertrouwelijke inhoud over de boekhouding"
    )
    worker = celery_worker_on(worker_redis_url, tmp_path)
    misstand_deadlines_task.delay()
    misstand_deadlines_task.delay()

    def board_alert():
        return Notification.objects.filter(
            recipient=board_member, channel=Channel.EMAIL, template="integrity/email/deadline_alert"
        ).first()

    wait_until(lambda: board_alert() is not None and board_alert().status == Status.SENT, what="the alert")
    time.sleep(2)  # the second run has had its chance
    assert MisstandReport.objects.get(pk=report.pk).acknowledge_alerted_at is not None
    to_board = [message for message in worker.sent_messages() if board_member.email in message]
    assert len(to_board) == 1
    assert f"integriteitsmelding {report.pk}" in to_board[0]
    assert "Vertrouwelijke inhoud" not in to_board[0]
